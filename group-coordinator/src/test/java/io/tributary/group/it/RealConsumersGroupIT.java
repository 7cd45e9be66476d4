package io.tributary.group.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.protocol.ProtocolServerConfig;
import io.tributary.group.membership.ScheduledGroupTimer;
import io.tributary.group.server.handler.GroupHandlers;
import io.tributary.group.testing.CoordinatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unmodified {@link KafkaConsumer}s (kafka-clients, classic protocol) in one group against the
 * coordinator's Kafka-protocol listener, with a {@link FakeBroker} for metadata: each of three
 * consumers gets two of six partitions, a closed consumer's partitions move to the other two,
 * and commits survive into a later member's position. Run with the eager range assignor and
 * the cooperative-sticky one (two rebalances, the coordinator only carrying the bytes).
 */
class RealConsumersGroupIT {

    static final String TOPIC = "six";

    final ScheduledGroupTimer timer = new ScheduledGroupTimer();
    final CoordinatorHarness h =
            new CoordinatorHarness(CoordinatorHarness.properties(Duration.ofMillis(200), Integer.MAX_VALUE), timer);
    final KafkaProtocolServer coordinatorServer = new KafkaProtocolServer(
            ProtocolServerConfig.of("127.0.0.1", 0).withIoThreads(2), GroupHandlers.registry(h.coordinator));
    FakeBroker broker;
    final List<PollingConsumer> consumers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        consumers.forEach(PollingConsumer::close);
        if (broker != null) {
            broker.close();
        }
        coordinatorServer.close();
        timer.close();
    }

    /** A consumer polling on its own thread (KafkaConsumer is single-threaded), taking tasks between polls. */
    final class PollingConsumer implements AutoCloseable {
        final AtomicReference<Set<TopicPartition>> assignment = new AtomicReference<>(Set.of());
        final ConcurrentLinkedQueue<Consumer<KafkaConsumer<byte[], byte[]>>> tasks = new ConcurrentLinkedQueue<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread;

        PollingConsumer(String name, String assignor) {
            this(name, assignor, null);
        }

        PollingConsumer(String name, String assignor, String instanceId) {
            Properties props = new Properties();
            if (instanceId != null) {
                props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
            }
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + broker.port());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "real-group");
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
            props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "15000");
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            thread = new Thread(
                    () -> {
                        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
                            consumer.subscribe(List.of(TOPIC));
                            while (running.get()) {
                                consumer.poll(Duration.ofMillis(100));
                                assignment.set(Set.copyOf(consumer.assignment()));
                                for (var task = tasks.poll(); task != null; task = tasks.poll()) {
                                    task.accept(consumer);
                                }
                            }
                        } catch (Throwable t) {
                            failure.set(t);
                        }
                    },
                    "consumer-" + name);
            thread.start();
            consumers.add(this);
        }

        void run(Consumer<KafkaConsumer<byte[], byte[]>> task) {
            AtomicBoolean done = new AtomicBoolean();
            tasks.add(consumer -> {
                task.accept(consumer);
                done.set(true);
            });
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilTrue(done);
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consumers.remove(this);
            assertThat(failure.get()).as("consumer failure").isNull();
        }
    }

    void awaitBalanced(List<PollingConsumer> members, int each) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    Set<TopicPartition> union = new HashSet<>();
                    int total = 0;
                    for (PollingConsumer member : members) {
                        assertThat(member.failure.get()).isNull();
                        assertThat(member.assignment.get()).hasSize(each);
                        union.addAll(member.assignment.get());
                        total += member.assignment.get().size();
                    }
                    assertThat(total).isEqualTo(6);
                    assertThat(union).hasSize(6);
                });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {RangeAssignor.class, CooperativeStickyAssignor.class})
    void shouldSplitSixPartitionsOverThreeConsumersAndHandOverWhenOneCloses(Class<?> assignor) {
        coordinatorServer.start();
        broker = new FakeBroker(TOPIC, 6, coordinatorServer.port());

        PollingConsumer a = new PollingConsumer("a", assignor.getName());
        PollingConsumer b = new PollingConsumer("b", assignor.getName());
        PollingConsumer c = new PollingConsumer("c", assignor.getName());
        awaitBalanced(List.of(a, b, c), 2);

        // every consumer commits its partitions (offset = 100 + partition), with metadata
        Map<TopicPartition, Long> committed = new HashMap<>();
        for (PollingConsumer member : List.of(a, b, c)) {
            member.run(consumer -> {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                consumer.assignment()
                        .forEach(tp -> offsets.put(tp, new OffsetAndMetadata(100 + tp.partition(), "poll")));
                consumer.commitSync(offsets);
            });
        }
        for (int p = 0; p < 6; p++) {
            committed.put(new TopicPartition(TOPIC, p), 100L + p);
        }

        // c leaves: a and b take its partitions over
        Set<TopicPartition> moved = c.assignment.get();
        c.close();
        awaitBalanced(List.of(a, b), 3);

        // every commit is there; the new owners of c's partitions resume at c's commits
        // (partitions a consumer kept through a cooperative rebalance keep their position)
        List<Long> committedSeen = new ArrayList<>();
        List<Long> movedPositions = new ArrayList<>();
        for (PollingConsumer member : List.of(a, b)) {
            member.run(consumer -> consumer.assignment().forEach(tp -> {
                OffsetAndMetadata offset = consumer.committed(Set.of(tp)).get(tp);
                assertThat(offset.metadata()).isEqualTo("poll");
                committedSeen.add(offset.offset() - committed.get(tp));
                if (moved.contains(tp)) {
                    movedPositions.add(consumer.position(tp) - committed.get(tp));
                }
            }));
        }
        assertThat(committedSeen).hasSize(6).containsOnly(0L);
        assertThat(movedPositions).hasSize(2).containsOnly(0L);
    }

    int generation() {
        return h.membership.view(h.registry.cached("real-group")).generationId();
    }

    @Test
    void shouldGiveARestartedStaticMemberItsPartitionsBackWithoutARebalance() {
        coordinatorServer.start();
        broker = new FakeBroker(TOPIC, 6, coordinatorServer.port());
        String range = RangeAssignor.class.getName();
        PollingConsumer a = new PollingConsumer("a", range, "instance-a");
        PollingConsumer b = new PollingConsumer("b", range, "instance-b");
        PollingConsumer c = new PollingConsumer("c", range, "instance-c");
        awaitBalanced(List.of(a, b, c), 2);
        int generation = generation();
        Set<TopicPartition> before = b.assignment.get();

        // a static member does not leave on close: its session keeps its place
        b.close();
        PollingConsumer again = new PollingConsumer("b-restarted", range, "instance-b");
        awaitBalanced(List.of(a, again, c), 2);
        assertThat(again.assignment.get()).isEqualTo(before);
        assertThat(generation()).isEqualTo(generation);
    }
}
