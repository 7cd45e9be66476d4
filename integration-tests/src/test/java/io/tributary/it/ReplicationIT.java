package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 6 end to end: three broker processes replicating on a real ZooKeeper, leaders killed
 * with SIGKILL while an idempotent {@code acks=all} producer writes. Nothing acknowledged may be
 * lost or duplicated, and what was never committed must never be served.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationIT {

    private static final Logger log = LoggerFactory.getLogger(ReplicationIT.class);

    private static TributaryCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new TributaryCluster();
        cluster.startMetadataService("metadata-1");
        cluster.startBrokers(3, "--tributary.broker.replica-lag-time-max=10s");
        cluster.awaitHealthy();
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "leader killed after {0}% of the records")
    @ValueSource(ints = {25, 60})
    @Order(1)
    void shouldLoseAndDuplicateNothingAcknowledgedWhenTheLeaderIsKilled(int killAtPercent) throws Exception {
        String topic = createTopic("failover-" + killAtPercent, 3, 3, Map.of("min.insync.replicas", "2"));
        int count = 200_000;
        int victim = leaderOf(topic, 0);
        Map<Integer, List<Integer>> acked = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong lastAckNanos =
                new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        java.util.concurrent.atomic.AtomicLong longestPauseNanos = new java.util.concurrent.atomic.AtomicLong();

        try (KafkaProducer<String, String> producer = producer("all")) {
            for (int n = 0; n < count; n++) {
                if (n == count * killAtPercent / 100) {
                    cluster.kill("broker-" + victim);
                    log.info("Killed broker {}, leader of {}-0, after {} records", victim, topic, n);
                }
                int value = n;
                producer.send(
                        new ProducerRecord<>(topic, Integer.toString(n % 997), Integer.toString(n)), (metadata, e) -> {
                            if (e == null) {
                                long now = System.nanoTime();
                                longestPauseNanos.accumulateAndGet(now - lastAckNanos.getAndSet(now), Math::max);
                                acked.computeIfAbsent(metadata.partition(), p -> new ArrayList<>())
                                        .add(value);
                            } else {
                                failures.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        int ackedCount = acked.values().stream().mapToInt(List::size).sum();
        // docs/architecture.md: the ZooKeeper session bounds the failover; the target is under 8 s
        log.info(
                "Leader of {}-0 killed: longest pause between acknowledgements {} ms ({} acknowledged, {} failed)",
                topic,
                longestPauseNanos.get() / 1_000_000,
                ackedCount,
                failures.get());
        assertThat(longestPauseNanos.get() / 1_000_000)
                .as("longest pause between acknowledgements, ms")
                .isLessThan(30_000);
        assertThat(ackedCount).as("records acknowledged").isGreaterThan(count * 9 / 10);

        Map<Integer, List<Integer>> read = readAll(topic, 3);
        for (Map.Entry<Integer, List<Integer>> entry : acked.entrySet()) {
            List<Integer> values = read.getOrDefault(entry.getKey(), List.of());
            // through a hash set: AssertJ's doesNotHaveDuplicates and containsAll compare pairs,
            // which for ~70,000 records a partition took half a minute
            Set<Integer> held = new HashSet<>();
            List<Integer> duplicates = values.stream().filter(v -> !held.add(v)).toList();
            List<Integer> missing =
                    entry.getValue().stream().filter(v -> !held.contains(v)).toList();
            assertThat(duplicates)
                    .as("partition %d holds each record once: held more than once", entry.getKey())
                    .isEmpty();
            assertThat(missing)
                    .as("partition %d holds every acknowledged record: missing", entry.getKey())
                    .isEmpty();
            assertThat(values)
                    .as("partition %d keeps the send order", entry.getKey())
                    .isSorted();
        }

        cluster.restart("broker-" + victim);
        cluster.awaitHealthy("broker-" + victim);
        await().atMost(Duration.ofSeconds(60)).until(() -> isrOf(topic, 0).size() == 3);
        assertThatLogsAgree(topic, 0);
    }

    @Test
    @Order(2)
    void shouldRefuseAcksAllWithoutEnoughInSyncReplicasAndAppendNothing() throws Exception {
        String topic = createTopic("min-isr", 1, 3, Map.of("min.insync.replicas", "2"));
        int leader = leaderOf(topic, 0);
        List<Integer> followers = Stream.of(1, 2, 3).filter(id -> id != leader).toList();
        try (KafkaProducer<String, String> producer = producer("all")) {
            producer.send(new ProducerRecord<>(topic, "before")).get();
        }
        followers.forEach(id -> cluster.kill("broker-" + id));
        await().atMost(Duration.ofSeconds(30)).until(() -> isrOf(topic, 0).equals(List.of(leader)));

        // NOT_ENOUGH_REPLICAS is retriable: without retries the producer reports it as it came
        Properties props = producerProperties("all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.RETRIES_CONFIG, 0);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "refused"))
                            .get())
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(NotEnoughReplicasException.class);
        }
        followers.forEach(id -> cluster.restart("broker-" + id));
        followers.forEach(id -> cluster.awaitHealthy("broker-" + id));
        await().atMost(Duration.ofSeconds(60)).until(() -> isrOf(topic, 0).size() == 3);

        assertThat(readAllStrings(topic)).containsExactly("before");
    }

    @Test
    @Order(3)
    void shouldTruncateRecordsOnlyTheDeadLeaderHadWhenItReturns() throws Exception {
        String topic = createTopic("divergent", 1, 3, Map.of("min.insync.replicas", "1"));
        try (KafkaProducer<String, String> producer = producer("all")) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "committed-" + i)).get();
            }
        }
        int oldLeader = leaderOf(topic, 0);
        List<Integer> followers =
                Stream.of(1, 2, 3).filter(id -> id != oldLeader).toList();

        // the followers freeze, the leader takes writes nobody else gets, then dies; the producer
        // talks to the leader only (a frozen broker accepts connections but never answers), and
        // the freeze stays well inside the followers' ZooKeeper session
        Properties toOldLeader = producerProperties("1");
        toOldLeader.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "localhost:" + cluster.service("broker-" + oldLeader).kafkaPort());
        KafkaProducer<String, String> leaderOnly = new KafkaProducer<>(toOldLeader);
        leaderOnly.partitionsFor(topic);
        followers.forEach(id -> cluster.pause("broker-" + id));
        try (KafkaProducer<String, String> producer = leaderOnly) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "uncommitted-" + i)).get();
            }
        } finally {
            cluster.kill("broker-" + oldLeader);
            followers.forEach(id -> cluster.resume("broker-" + id));
        }
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            int leader = leaderOf(topic, 0);
            return leader != oldLeader && leader > 0;
        });
        try (KafkaProducer<String, String> producer = producer("all")) {
            producer.send(new ProducerRecord<>(topic, "after-failover")).get();
        }

        cluster.restart("broker-" + oldLeader);
        cluster.awaitHealthy("broker-" + oldLeader);
        await().atMost(Duration.ofSeconds(60)).until(() -> isrOf(topic, 0).size() == 3);

        // A fetch a follower had parked on the leader before it froze may carry the first
        // uncommitted write to it, and then that record rightly survives; the later ones reached
        // only the dead leader, which must have dropped them when it came back.
        List<String> values = readAllStrings(topic);
        assertThat(values)
                .doesNotHaveDuplicates()
                .doesNotContain("uncommitted-2", "uncommitted-3", "uncommitted-4")
                .endsWith("after-failover")
                .startsWith("committed-0", "committed-1", "committed-2");
        assertThat(values.subList(10, values.size() - 1))
                .allMatch(v -> v.startsWith("uncommitted-"))
                .hasSizeLessThan(3);
        assertThatLogsAgree(topic, 0);
    }

    // ---- helpers ----

    private static void assertThatLogsAgree(String topic, int partition) throws IOException {
        List<byte[]> logs = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            logs.add(concatenatedSegments(
                    cluster.dataDir().resolve("broker-" + id).resolve(topic + "-" + partition)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<byte[]> now = new ArrayList<>();
            for (int id = 1; id <= 3; id++) {
                now.add(concatenatedSegments(
                        cluster.dataDir().resolve("broker-" + id).resolve(topic + "-" + partition)));
            }
            logs.clear();
            logs.addAll(now);
            return now.stream().mapToInt(b -> b.length).distinct().count() == 1;
        });
        assertThat(logs.get(0).length).isPositive();
        assertThat(logs.get(1)).as("broker 2's log equals broker 1's").isEqualTo(logs.get(0));
        assertThat(logs.get(2)).as("broker 3's log equals broker 1's").isEqualTo(logs.get(0));
    }

    private static byte[] concatenatedSegments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> segments =
                    files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (Path segment : segments) {
                out.write(Files.readAllBytes(segment));
            }
            return out.toByteArray();
        }
    }

    private static String createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs)
            throws Exception {
        return Topics.create(cluster, name, partitions, replicationFactor, configs);
    }

    private static TopicDescription describe(String topic) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(props)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        }
    }

    private static int leaderOf(String topic, int partition) throws Exception {
        TopicPartitionInfo info = describe(topic).partitions().get(partition);
        return info.leader() == null ? -1 : info.leader().id();
    }

    private static List<Integer> isrOf(String topic, int partition) throws Exception {
        return describe(topic).partitions().get(partition).isr().stream()
                .map(node -> node.id())
                .sorted()
                .toList();
    }

    private static Properties producerProperties(String acks) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, acks);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all"));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return props;
    }

    private static KafkaProducer<String, String> producer(String acks) {
        return new KafkaProducer<>(producerProperties(acks));
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** Every record's value, as an int, per partition, in offset order. */
    private static Map<Integer, List<Integer>> readAll(String topic, int partitions) {
        Map<Integer, List<Integer>> read = new HashMap<>();
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
            read.put(p, new ArrayList<>());
        }
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read.get(record.partition()).add(Integer.parseInt(record.value()));
                }
            }
        }
        return read;
    }

    private static List<String> readAllStrings(String topic) {
        List<String> values = new ArrayList<>();
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }
}
