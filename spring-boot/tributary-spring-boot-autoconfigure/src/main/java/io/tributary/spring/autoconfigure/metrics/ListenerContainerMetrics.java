package io.tributary.spring.autoconfigure.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.springframework.context.ApplicationListener;
import org.springframework.kafka.event.ConsumerStartedEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.KafkaEvent;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Counts listener container consumers starting and stopping, from the events spring-kafka
 * publishes: {@code tributary.listener.starts{listener}} and
 * {@code tributary.listener.stops{listener,reason}} ({@code reason} is spring-kafka's stop
 * reason: {@code normal}, {@code error}, {@code fenced}, {@code auth}, {@code no_offset},
 * {@code abnormal}). A container runs one consumer per {@code concurrency}, so starting a
 * container of concurrency 3 counts 3. {@code listener} is the {@code @KafkaListener} id.
 * Thread-safe (Micrometer's counters are).
 */
public class ListenerContainerMetrics implements ApplicationListener<KafkaEvent> {

    static final String STARTS = "tributary.listener.starts";
    static final String STOPS = "tributary.listener.stops";

    private final MeterRegistry registry;

    public ListenerContainerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(KafkaEvent event) {
        if (event instanceof ConsumerStartedEvent) {
            Counter.builder(STARTS)
                    .description("Listener container consumers started")
                    .tag("listener", listener(event))
                    .register(registry)
                    .increment();
        } else if (event instanceof ConsumerStoppedEvent stopped) {
            Counter.builder(STOPS)
                    .description("Listener container consumers stopped, by reason")
                    .tag("listener", listener(event))
                    .tag("reason", stopped.getReason().name().toLowerCase(Locale.ROOT))
                    .register(registry)
                    .increment();
        }
    }

    /** The id of the container the event is about (the parent of a concurrent container's child). */
    private static String listener(KafkaEvent event) {
        MessageListenerContainer container = event.getContainer(MessageListenerContainer.class);
        String id = container == null ? null : container.getListenerId();
        return id == null ? "unknown" : id;
    }
}
