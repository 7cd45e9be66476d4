package io.tributary.spring.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * A producer that times each record from {@code send} to its acknowledgement, into the timer
 * {@code tributary.producer.ack.latency{acks}}; only acknowledged records are timed (a failed send
 * was never acknowledged). Everything else goes straight to the wrapped producer. Added to every
 * producer of Boot's producer factory as a spring-kafka {@code ProducerPostProcessor}, the hook
 * spring-kafka documents for wrapping producers (as tracing does). Thread-safe as its delegate is.
 */
final class AckTimingProducer<K, V> implements Producer<K, V> {

    static final String NAME = "tributary.producer.ack.latency";

    private final Producer<K, V> delegate;
    private final MeterRegistry registry;
    private final Timer timer;

    AckTimingProducer(Producer<K, V> delegate, MeterRegistry registry, String acks) {
        this.delegate = delegate;
        this.registry = registry;
        this.timer = Timer.builder(NAME)
                .description("Time from send to the broker's acknowledgement of a record")
                .tag("acks", acks)
                .register(registry);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        Timer.Sample sample = Timer.start(registry);
        return delegate.send(record, (metadata, exception) -> {
            if (exception == null) {
                sample.stop(timer);
            }
            if (callback != null) {
                callback.onCompletion(metadata, exception);
            }
        });
    }

    @Override
    public void initTransactions() {
        delegate.initTransactions();
    }

    @Override
    public void beginTransaction() {
        delegate.beginTransaction();
    }

    @Override
    public void sendOffsetsToTransaction(
            Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
        delegate.sendOffsetsToTransaction(offsets, groupMetadata);
    }

    @Override
    public void commitTransaction() {
        delegate.commitTransaction();
    }

    @Override
    public void abortTransaction() {
        delegate.abortTransaction();
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
        delegate.registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
        delegate.unregisterMetricFromSubscription(metric);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return delegate.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return delegate.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return delegate.clientInstanceId(timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void close(Duration timeout) {
        delegate.close(timeout);
    }
}
