package io.tributary.spring.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class AckTimingProducerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void shouldTimeAcknowledgedRecordsByAcksAndStillCallTheCallersCallback() {
        MockProducer<String, String> kafka =
                new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
        AckTimingProducer<String, String> producer = new AckTimingProducer<>(kafka, registry, "all");
        AtomicInteger callbacks = new AtomicInteger();

        producer.send(new ProducerRecord<>("t", "k", "acknowledged"), (metadata, e) -> callbacks.incrementAndGet());
        producer.send(new ProducerRecord<>("t", "k", "failed"), (metadata, e) -> callbacks.incrementAndGet());
        producer.send(new ProducerRecord<>("t", "k", "still waiting"));
        kafka.completeNext();
        kafka.errorNext(new RuntimeException("not acknowledged"));

        assertThat(callbacks).hasValue(2);
        assertThat(registry.get(AckTimingProducer.NAME)
                        .tag("acks", "all")
                        .timer()
                        .count())
                .isEqualTo(1);
    }
}
