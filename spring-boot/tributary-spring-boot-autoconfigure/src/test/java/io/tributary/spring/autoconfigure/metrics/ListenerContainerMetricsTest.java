package io.tributary.spring.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.event.ConsumerStartedEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;

class ListenerContainerMetricsTest {

    @Test
    void shouldCountConsumerStartsAndStopsPerListenerAndReason() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ListenerContainerMetrics metrics = new ListenerContainerMetrics(registry);
        // never started: only its id is read
        ConcurrentMessageListenerContainer<String, String> container = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(Map.of()), new ContainerProperties("orders"));
        container.setBeanName("orders-listener");

        metrics.onApplicationEvent(new ConsumerStartedEvent(container, container));
        metrics.onApplicationEvent(new ConsumerStartedEvent(container, container));
        metrics.onApplicationEvent(new ConsumerStoppedEvent(container, container, ConsumerStoppedEvent.Reason.ERROR));

        assertThat(registry.get(ListenerContainerMetrics.STARTS)
                        .tag("listener", "orders-listener")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get(ListenerContainerMetrics.STOPS)
                        .tags("listener", "orders-listener", "reason", "error")
                        .counter()
                        .count())
                .isEqualTo(1);
    }
}
