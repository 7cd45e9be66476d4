package io.tributary.spring.autoconfigure.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tributary.spring.autoconfigure.BackgroundRefresh;
import io.tributary.spring.autoconfigure.topics.TributaryAdmin;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * {@code tributary.consumer.lag{group,topic,partition}}: for each consumer group of the
 * application and each partition it has committed an offset for, the records between that offset
 * and the partition's end offset (what {@code kafka-consumer-groups --describe} shows as LAG).
 *
 * <p>A scrape never waits on the cluster: a daemon thread reads the committed and end offsets
 * every {@code tributary.metrics.lag-interval} and the gauges return the last values. A partition's
 * gauge appears when its group first commits there and disappears when the group no longer has an
 * offset for it; a group the cluster cannot answer for keeps its last values. Thread-safe.
 */
public class ConsumerLagMetrics implements MeterBinder, SmartLifecycle {

    static final String NAME = "tributary.consumer.lag";
    private static final Logger log = LoggerFactory.getLogger(ConsumerLagMetrics.class);

    private final TributaryAdmin admin;
    private final Supplier<Collection<String>> groups;
    private final Duration interval;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<GroupPartition, AtomicLong> lags = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final BackgroundRefresh refresher;

    /**
     * @param groups   the application's consumer group ids, asked on every refresh (listener
     *                 containers can come and go)
     * @param interval how often to refresh; also the bound on each admin call
     */
    public ConsumerLagMetrics(TributaryAdmin admin, Supplier<Collection<String>> groups, Duration interval) {
        this.admin = admin;
        this.groups = groups;
        this.interval = interval;
        this.refresher = new BackgroundRefresh("tributary-consumer-lag", interval, this::refresh);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        lags.forEach((key, lag) -> register(registry, key, lag));
    }

    /** Reads every group's committed and end offsets now, on the caller's thread. */
    public void refresh() {
        for (String group : Set.copyOf(groups.get())) {
            try {
                Map<TopicPartition, Long> current = lagOf(group);
                update(group, current);
                if (failing.remove(group)) {
                    log.info("Consumer lag of group {} is readable again", group);
                }
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                if (failing.add(group)) {
                    log.warn("Could not read the consumer lag of group {}: {}", group, describe(e));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The last lag read for one partition of a group, or {@code null} when there is none. */
    public Long lag(String group, String topic, int partition) {
        AtomicLong lag = lags.get(new GroupPartition(group, new TopicPartition(topic, partition)));
        return lag == null ? null : lag.get();
    }

    private Map<TopicPartition, Long> lagOf(String group)
            throws ExecutionException, TimeoutException, InterruptedException {
        Admin client = admin.get();
        Map<TopicPartition, OffsetAndMetadata> committed =
                await(client.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, OffsetSpec> latest = committed.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> OffsetSpec.latest()));
        if (latest.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                await(client.listOffsets(latest).all());
        Map<TopicPartition, Long> result = new HashMap<>();
        ends.forEach((partition, end) -> result.put(
                partition, Math.max(0, end.offset() - committed.get(partition).offset())));
        return result;
    }

    private void update(String group, Map<TopicPartition, Long> current) {
        current.forEach((partition, lag) -> lags.computeIfAbsent(new GroupPartition(group, partition), key -> {
                    AtomicLong created = new AtomicLong();
                    registries.forEach(registry -> register(registry, key, created));
                    return created;
                })
                .set(lag));
        lags.keySet().removeIf(key -> {
            boolean gone = key.group().equals(group) && !current.containsKey(key.partition());
            if (gone) {
                registries.forEach(
                        registry -> registry.find(NAME).tags(tags(key)).meters().forEach(registry::remove));
            }
            return gone;
        });
    }

    private static void register(MeterRegistry registry, GroupPartition key, AtomicLong lag) {
        Gauge.builder(NAME, lag, AtomicLong::get)
                .description("Records between a consumer group's committed offset and the partition's end offset")
                .baseUnit("records")
                .tags(tags(key))
                .strongReference(true)
                .register(registry);
    }

    private static String[] tags(GroupPartition key) {
        return new String[] {
            "group", key.group(),
            "topic", key.partition().topic(),
            "partition", Integer.toString(key.partition().partition())
        };
    }

    private <T> T await(KafkaFuture<T> future) throws ExecutionException, TimeoutException, InterruptedException {
        return future.get(interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return Objects.toString(cause.getMessage(), cause.getClass().getSimpleName());
    }

    @Override
    public void start() {
        refresher.start();
    }

    @Override
    public void stop() {
        refresher.stop();
    }

    @Override
    public boolean isRunning() {
        return refresher.isRunning();
    }

    private record GroupPartition(String group, TopicPartition partition) {}
}
