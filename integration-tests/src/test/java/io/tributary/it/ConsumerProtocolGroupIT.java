package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KIP-848 end to end on the {@link SharedCluster}: unmodified kafka-clients consumers with
 * {@code group.protocol=consumer} through the brokers, which relay ConsumerGroupHeartbeat and the
 * offset APIs to the group-coordinator process, which assigns partitions on the server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsumerProtocolGroupIT {

    private static final Logger log = LoggerFactory.getLogger(ConsumerProtocolGroupIT.class);

    private static TributaryCluster cluster;

    /** Its group-coordinator tells members to heartbeat every 500 ms (see {@link SharedCluster}). */
    @BeforeAll
    static void useSharedCluster() {
        cluster = SharedCluster.get();
    }

    @Test
    @Order(1)
    void threeConsumersSplitTheTopicHandOverOnLeaveResumeFromCommitsAndTheEmptyGroupIsDeleted() throws Exception {
        String topic = createTopic("kip848", 6);
        String group = "kip848-workers";
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(new Worker(topic, group, "worker-" + i, seen));
        }
        long started = System.nanoTime();
        workers.forEach(Worker::start);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> workers.stream().allMatch(w -> w.assigned().size() == 2));
        log.info("KIP-848: 3 consumers own 2 of 6 partitions each {} ms after subscribing", millisSince(started));
        assertDisjointAndComplete(workers, 6);

        try (Admin admin = admin()) {
            ConsumerGroupDescription described = describe(admin, group);
            assertThat(described.type()).isEqualTo(GroupType.CONSUMER);
            assertThat(described.partitionAssignor()).isEqualTo("uniform");
            assertThat(described.members())
                    .extracting(MemberDescription::clientId)
                    .containsExactlyInAnyOrder("worker-0", "worker-1", "worker-2");
            assertThat(described.members().stream()
                            .mapToInt(m -> m.assignment().topicPartitions().size())
                            .sum())
                    .isEqualTo(6);
        }

        produce(topic, 0, 3_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 3_000);

        Worker leaving = workers.remove(0);
        leaving.stopAndClose();
        long left = System.nanoTime();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> workers.stream().allMatch(w -> w.assigned().size() == 3));
        log.info("KIP-848: the other 2 consumers own 3 partitions each {} ms after one closed", millisSince(left));
        assertDisjointAndComplete(workers, 6);
        produce(topic, 3_000, 3_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 6_000);
        workers.forEach(Worker::stopAndClose);
        assertThat(seen.values()).as("records consumed more than once").allMatch(count -> count == 1);

        // the consumers are gone; new ones resume where the old ones committed
        produce(topic, 6_000, 60);
        Map<String, Integer> resumed = new ConcurrentHashMap<>();
        Worker successor = new Worker(topic, group, "successor", resumed);
        successor.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> resumed.size() == 60);
        successor.stopAndClose();
        assertThat(resumed.keySet().stream().map(Integer::parseInt).collect(Collectors.toSet()))
                .allMatch(n -> n >= 6_000);

        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> describe(admin, group).groupState() == GroupState.EMPTY);
            assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups().withTypes(Set.of(GroupType.CONSUMER)))
                            .all()
                            .get())
                    .filteredOn(g -> g.groupId().equals(group))
                    .singleElement()
                    .satisfies(g -> assertThat(g.type()).contains(GroupType.CONSUMER));
            admin.deleteConsumerGroups(List.of(group)).all().get();
            assertThat(admin.listGroups().all().get())
                    .extracting(GroupListing::groupId)
                    .doesNotContain(group);
            assertThat(admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get())
                    .isEmpty();
        }
    }

    @Test
    @Order(2)
    void aClassicAndAConsumerGroupReadTheSameTopicSideBySide() throws Exception {
        String topic = createTopic("side-by-side", 2);
        produce(topic, 0, 200);
        Map<String, Integer> classicSeen = new ConcurrentHashMap<>();
        Map<String, Integer> consumerSeen = new ConcurrentHashMap<>();
        Worker classic = new Worker(topic, "old-style", "classic-0", classicSeen, "classic");
        Worker modern = new Worker(topic, "new-style", "consumer-0", consumerSeen, "consumer");
        classic.start();
        modern.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> classicSeen.size() == 200 && consumerSeen.size() == 200);
            try (Admin admin = admin()) {
                Map<String, GroupType> types = admin.listGroups().all().get().stream()
                        .filter(g -> g.groupId().endsWith("-style"))
                        .collect(Collectors.toMap(
                                GroupListing::groupId, g -> g.type().orElseThrow()));
                assertThat(types).isEqualTo(Map.of("old-style", GroupType.CLASSIC, "new-style", GroupType.CONSUMER));
                assertThat(describe(admin, "old-style").type()).isEqualTo(GroupType.CLASSIC);
                assertThat(describe(admin, "new-style").type()).isEqualTo(GroupType.CONSUMER);
            }
        } finally {
            classic.stopAndClose();
            modern.stopAndClose();
        }
        assertThat(classic.failure()).isNull();
        assertThat(modern.failure()).isNull();
    }

    @Test
    @Order(3)
    void aConsumerSubscribedByRegexReadsEveryMatchingTopic() throws Exception {
        // the client learns the matching topics' ids from the heartbeat and asks Metadata by id,
        // with an empty topic name
        String first = createTopic("regex-orders-eu", 1);
        String second = createTopic("regex-orders-us", 1);
        createTopic("regex-payments", 1);
        produce(first, 0, 50);
        produce(second, 50, 50);
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer("regex-readers", "regex-0", "consumer")) {
            consumer.subscribe(new SubscriptionPattern("regex-orders-.*"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.merge(r.topic(), 1, Integer::sum));
                return seen.values().stream().mapToInt(Integer::intValue).sum() >= 100;
            });
            assertThat(consumer.assignment())
                    .extracting(TopicPartition::topic)
                    .containsExactlyInAnyOrder(first, second);
        }
        assertThat(seen).isEqualTo(Map.of(first, 50, second, 50));
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void assertDisjointAndComplete(List<Worker> workers, int partitions) {
        List<TopicPartition> all =
                workers.stream().flatMap(w -> w.assigned().stream()).toList();
        assertThat(all).doesNotHaveDuplicates().hasSize(partitions);
    }

    private static ConsumerGroupDescription describe(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group))
                .describedGroups()
                .get(group)
                .get();
    }

    /** One member of a group on its own thread, committing after each poll. */
    private static final class Worker {
        private final KafkaConsumer<String, String> consumer;
        private final String topic;
        private final Map<String, Integer> seen;
        private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        Worker(String topic, String group, String clientId, Map<String, Integer> seen) {
            this(topic, group, clientId, seen, "consumer");
        }

        Worker(String topic, String group, String clientId, Map<String, Integer> seen, String protocol) {
            this.consumer = consumer(group, clientId, protocol);
            this.topic = topic;
            this.seen = seen;
            this.thread = new Thread(this::run, clientId);
        }

        void start() {
            thread.start();
        }

        Set<TopicPartition> assigned() {
            return new HashSet<>(assigned);
        }

        Throwable failure() {
            return failure.get();
        }

        private void run() {
            ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assigned.removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned.addAll(partitions);
                }
            };
            consumer.subscribe(List.of(topic), listener);
            try {
                while (running.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        seen.merge(record.value(), 1, Integer::sum);
                    }
                    commit();
                }
            } catch (RuntimeException e) {
                failure.set(e);
                throw e;
            } finally {
                consumer.close();
            }
        }

        /**
         * Commits what was polled. A commit that crosses the heartbeat moving this member to a new
         * epoch (a member joined or left) is refused with STALE_MEMBER_EPOCH, by Kafka's own
         * coordinator too, and the consumer throws; the heartbeat's answer gave the member its new
         * epoch, so the next round commits again. A lost commit would show as records read twice.
         */
        private void commit() {
            try {
                consumer.commitSync();
            } catch (CommitFailedException e) {
                if (!String.valueOf(e.getMessage()).contains("stale member epoch")) {
                    throw e;
                }
                log.info("{}: a commit crossed a new member epoch; committing again", thread.getName());
            }
        }

        void stopAndClose() {
            running.set(false);
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String createTopic(String name, int partitions) throws Exception {
        return Topics.create(cluster, name, partitions, 1, Map.of());
    }

    private static void produce(String topic, int from, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int n = from; n < from + count; n++) {
                producer.send(new ProducerRecord<>(topic, Integer.toString(n), Integer.toString(n)));
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<String, String> consumer(String group, String clientId, String protocol) {
        Properties props = new Properties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(props);
    }
}
