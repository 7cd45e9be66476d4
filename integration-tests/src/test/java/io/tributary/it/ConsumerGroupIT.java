package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 7 end to end: consumer groups as clients see them — through the brokers, which relay the
 * group APIs to a separate group-coordinator process that keeps offsets in its H2 database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsumerGroupIT {

    private static TributaryCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SharedCluster.get();
    }

    @Test
    @Order(1)
    void shouldSplitPartitionsAndHandOverWithoutLosingOrRepeatingRecords() throws Exception {
        String topic = createTopic("shared", 6);
        String group = "workers";
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(new Worker(topic, group, "worker-" + i, seen));
        }
        workers.forEach(Worker::start);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> workers.stream().allMatch(w -> w.assigned().size() == 2));
        Set<TopicPartition> all =
                workers.stream().flatMap(w -> w.assigned().stream()).collect(Collectors.toSet());
        assertThat(all).hasSize(6);
        // the brokers relay in envelopes: the coordinator knows each member by its consumer, not by the broker
        try (Admin admin = admin()) {
            Collection<MemberDescription> members = admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get()
                    .members();
            assertThat(members)
                    .extracting(MemberDescription::clientId)
                    .containsExactlyInAnyOrder("worker-0", "worker-1", "worker-2");
            assertThat(members).allSatisfy(member -> {
                assertThat(member.consumerId()).startsWith(member.clientId() + "-");
                assertThat(member.host()).isIn("/127.0.0.1", "/0:0:0:0:0:0:0:1"); // the consumer's: all run here
            });
        }

        produce(topic, 0, 3_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 3_000);

        Worker leaving = workers.remove(0);
        leaving.stopAndClose();
        produce(topic, 3_000, 3_000);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> workers.stream().mapToInt(w -> w.assigned().size()).sum() == 6);
        await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 6_000);
        workers.forEach(Worker::stopAndClose);

        assertThat(seen).hasSize(6_000);
        assertThat(seen.values()).as("records consumed more than once").allMatch(count -> count == 1);
    }

    @Test
    @Order(2)
    void shouldKeepCommittedOffsetsAcrossAGroupCoordinatorRestart() throws Exception {
        String topic = createTopic("resumable", 1);
        produce(topic, 0, 100);
        try (KafkaConsumer<String, String> consumer = consumer("resumers")) {
            consumer.subscribe(List.of(topic));
            int read = pollAndCommit(consumer, 100);
            assertThat(read).isEqualTo(100);
        }

        cluster.stop("group-coordinator-1");
        cluster.restart("group-coordinator-1");
        cluster.awaitHealthy("group-coordinator-1");
        produce(topic, 100, 20);

        List<String> resumed = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer("resumers")) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (resumed.size() < 20 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> resumed.add(r.value()));
            }
        }
        assertThat(resumed).hasSize(20).first().isEqualTo("100");
    }

    @Test
    @Order(3)
    void shouldListDescribeAlterAndDeleteGroupsWithTheAdminClient() throws Exception {
        String topic = createTopic("administered", 2);
        produce(topic, 0, 50);
        try (KafkaConsumer<String, String> consumer = consumer("audited")) {
            consumer.subscribe(List.of(topic));
            pollAndCommit(consumer, 50);
            try (Admin admin = admin()) {
                ConsumerGroupDescription described = admin.describeConsumerGroups(List.of("audited"))
                        .describedGroups()
                        .get("audited")
                        .get();
                assertThat(described.members()).singleElement().satisfies(member -> {
                    assertThat(member.assignment().topicPartitions()).hasSize(2);
                    // Kafka's default client id, which the member id is made from
                    assertThat(member.clientId()).startsWith("consumer-audited-");
                    assertThat(member.consumerId()).startsWith(member.clientId() + "-");
                });
            }
        }
        try (Admin admin = admin()) {
            Collection<ConsumerGroupListing> groups =
                    admin.listConsumerGroups().all().get();
            assertThat(groups)
                    .extracting(ConsumerGroupListing::groupId)
                    .contains("audited", "resumers")
                    .doesNotHaveDuplicates();

            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("audited")
                    .partitionsToOffsetAndMetadata()
                    .get();
            assertThat(offsets.values().stream()
                            .mapToLong(OffsetAndMetadata::offset)
                            .sum())
                    .isEqualTo(50);

            TopicPartition p0 = new TopicPartition(topic, 0);
            admin.alterConsumerGroupOffsets("audited", Map.of(p0, new OffsetAndMetadata(0)))
                    .all()
                    .get();
            assertThat(admin.listConsumerGroupOffsets("audited")
                            .partitionsToOffsetAndMetadata()
                            .get()
                            .get(p0)
                            .offset())
                    .isZero();

            admin.deleteConsumerGroups(List.of("audited")).all().get();
            assertThat(admin.listConsumerGroups().all().get())
                    .extracting(ConsumerGroupListing::groupId)
                    .doesNotContain("audited");
        }
    }

    /** Polls until {@code expected} records arrived (or 60 s passed), committing after each poll. */
    private static int pollAndCommit(KafkaConsumer<String, String> consumer, int expected) {
        int read = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (read < expected && System.nanoTime() < deadline) {
            read += consumer.poll(Duration.ofMillis(500)).count();
            consumer.commitSync();
        }
        return read;
    }

    /** One member of a group on its own thread, committing after each poll. */
    private static final class Worker {
        private final KafkaConsumer<String, String> consumer;
        private final String topic;
        private final Map<String, Integer> seen;
        private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Worker(String topic, String group, String clientId, Map<String, Integer> seen) {
            this.consumer = consumer(group, clientId);
            this.topic = topic;
            this.seen = seen;
            this.thread = new Thread(this::run, "worker");
        }

        void start() {
            thread.start();
        }

        Set<TopicPartition> assigned() {
            return assigned;
        }

        private void run() {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assigned.removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned.addAll(partitions);
                }
            });
            try {
                while (running.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        seen.merge(record.value(), 1, Integer::sum);
                    }
                    consumer.commitSync();
                }
            } finally {
                consumer.close();
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

    private static KafkaConsumer<String, String> consumer(String group) {
        return consumer(group, null);
    }

    /** A consumer in {@code group} with {@code clientId}, or Kafka's default {@code consumer-<group>-<n>} if null. */
    private static KafkaConsumer<String, String> consumer(String group, String clientId) {
        Properties props = new Properties();
        if (clientId != null) {
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        }
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
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
