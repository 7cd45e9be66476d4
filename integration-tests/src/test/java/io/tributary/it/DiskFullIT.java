package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 20, disk full: broker 1 with two log directories, the second a 2 MiB tmpfs this test
 * mounts. A ballast file fills the tmpfs; the broker must answer produce with
 * {@code KAFKA_STORAGE_ERROR} for the partition there, keep the other directory fully in
 * service, log which partition and directory went offline, hand the directory's replicas to the
 * controller, and, once space is back and it restarts (recovery is on restart, not online: the
 * directory is rescanned because it got no clean-shutdown marker), serve every acknowledged
 * record and accept writes again. Then brokers 2 and 3 join: filling the directory again moves
 * the leadership of a replicated partition there to another in-sync replica under an acks=all
 * producer, and the replica rejoins the ISR after a restart.
 *
 * <p>Needs root for {@code mount -t tmpfs}; skipped with the reason otherwise. The mount is
 * removed in {@link #stopCluster} whatever happened.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiskFullIT {

    private static final Logger log = LoggerFactory.getLogger(DiskFullIT.class);
    private static final String TOPIC = "disk-full";
    private static final String VALUE_PADDING = "x".repeat(8 * 1024);

    private static TributaryCluster cluster;
    private static Path fullDir;
    private static SmallDisk disk;
    private static int fullPartition;
    private static int healthyPartition;
    private static final List<String> ackedOnFull = new ArrayList<>();
    private static final List<String> ackedOnHealthy = new ArrayList<>();
    private static final String REPLICATED = "disk-full-replicated";
    private static int replicatedFull;
    private static final List<String> ackedReplicated = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TributaryCluster();
        fullDir = cluster.dataDir().resolve("small-disk");
        disk = SmallDisk.mount(fullDir, "2m");
        assumeThat(disk.isMounted())
                .as("mount -t tmpfs needs root (uid %s)", System.getProperty("user.name"))
                .isTrue();
        cluster.startMetadataService("metadata-1");
        // a second --tributary.broker.log-dirs joins the first: log.dirs = [broker-1, small-disk]
        cluster.startBroker(1, "--tributary.broker.log-dirs=" + fullDir);
        cluster.awaitHealthy();
        // small index files, each a single page touched by the first writes: a full tmpfs must
        // not meet a first touch of an mmap'd page (SIGBUS), only write(2) failing with ENOSPC
        Topics.create(
                cluster,
                TOPIC,
                2,
                1,
                Map.of("segment.index.bytes", "4096", "index.interval.bytes", "512", "flush.messages", "1"));
        fullPartition = Files.isDirectory(fullDir.resolve(TOPIC + "-0")) ? 0 : 1;
        healthyPartition = 1 - fullPartition;
        assertThat(fullDir.resolve(TOPIC + "-" + fullPartition)).isDirectory();
        assertThat(cluster.dataDir().resolve("broker-1").resolve(TOPIC + "-" + healthyPartition))
                .isDirectory();
    }

    @AfterAll
    static void stopCluster() throws IOException {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (disk != null) {
                disk.close();
            }
        }
    }

    @Test
    @Order(1)
    void shouldAnswerKafkaStorageErrorOnTheFullDirectoryAndKeepServingTheOther() throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 5; i++) {
                send(producer, fullPartition, "before-" + i, ackedOnFull);
                send(producer, healthyPartition, "before-" + i, ackedOnHealthy);
            }
        }
        disk.fill("ballast");

        try (KafkaProducer<String, String> producer = producer()) {
            // the last page of the active segment may still have room: write until it has not
            KafkaStorageException refused = null;
            for (int i = 0; i < 64 && refused == null; i++) {
                try {
                    send(producer, fullPartition, "full-" + i, ackedOnFull);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(KafkaStorageException.class);
                    refused = (KafkaStorageException) e.getCause();
                }
            }
            assertThat(refused).as("a produce to the full directory fails").isNotNull();
            // the broker hands the replica to the controller; with no other in-sync replica the
            // partition has no leader (Kafka's offline partition) until the broker comes back
            try (Admin admin = admin()) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> describe(admin, TOPIC)
                                        .partitions()
                                        .get(fullPartition)
                                        .leader()
                                == null);
            }
            for (int i = 0; i < 5; i++) {
                send(producer, healthyPartition, "during-" + i, ackedOnHealthy);
            }
        }
        assertThat(read(healthyPartition)).containsExactlyElementsOf(ackedOnHealthy);
        assertThat(Files.readString(cluster.logFile("broker-1")))
                .as("the broker log names the partition and the directory it took offline")
                .containsPattern("Taking partition " + TOPIC + "-" + fullPartition + " offline: I/O error in .* in "
                        + fullDir.resolve(TOPIC + "-" + fullPartition))
                .contains("Replicas [" + TOPIC + "-" + fullPartition + "] of offline log directory " + fullDir
                        + " are no longer served here; reported to the controller");
    }

    @Test
    @Order(2)
    void shouldServeEveryAcknowledgedRecordAndAcceptWritesAfterRestartWithSpace() throws Exception {
        cluster.stop("broker-1");
        assertThat(Files.readString(cluster.logFile("broker-1")))
                .as("the broker log says the directory went offline")
                .contains("Log directory " + fullDir + " is offline");
        disk.free("ballast");
        cluster.restart("broker-1");
        cluster.awaitHealthy("broker-1");
        // the offline directory got no clean-shutdown marker and is rescanned; the healthy one got it
        assertThat(Files.readString(cluster.logFile("broker-1")))
                .contains("Loading logs from " + fullDir + " (unclean shutdown)")
                .contains("Loading logs from " + cluster.dataDir().resolve("broker-1") + " (clean shutdown)");

        try (KafkaProducer<String, String> producer = producer()) {
            send(producer, fullPartition, "recovered", ackedOnFull);
            send(producer, healthyPartition, "recovered", ackedOnHealthy);
        }
        // the torn tail the failed write may have left is gone, nothing acknowledged with it
        assertThat(read(fullPartition)).containsExactlyElementsOf(ackedOnFull);
        assertThat(read(healthyPartition)).containsExactlyElementsOf(ackedOnHealthy);
    }

    /**
     * Replicated partitions: with RF 3 and {@code min.insync.replicas=2}, filling the leader's
     * directory moves leadership to another in-sync replica within seconds; an acks=all
     * producer goes on there and nothing it was told is written is lost.
     */
    @Test
    @Order(3)
    void shouldMoveLeadershipOffTheFullDirectoryToAnInSyncReplicaWithoutLosingAcknowledgedRecords() throws Exception {
        cluster.startBroker(2);
        cluster.startBroker(3);
        cluster.awaitHealthy("broker-2", "broker-3");
        try (Admin admin = admin()) {
            // broker 1 leads both partitions: one lands in each of its directories
            admin.createTopics(List.of(new NewTopic(REPLICATED, Map.of(0, List.of(1, 2, 3), 1, List.of(1, 2, 3)))
                            .configs(Map.of(
                                    "min.insync.replicas", "2",
                                    "segment.index.bytes", "4096",
                                    "index.interval.bytes", "512",
                                    "flush.messages", "1"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> describe(admin, REPLICATED).partitions().stream()
                            .allMatch(p -> p.leader() != null
                                    && p.leader().id() == 1
                                    && p.isr().size() == 3));
        }
        replicatedFull = Files.isDirectory(fullDir.resolve(REPLICATED + "-0")) ? 0 : 1;
        int replicatedHealthy = 1 - replicatedFull;
        assertThat(fullDir.resolve(REPLICATED + "-" + replicatedFull)).isDirectory();

        long longestPauseMs = 0;
        TopicPartition failing = new TopicPartition(REPLICATED, replicatedFull);
        List<String> consumed = new ArrayList<>();
        try (KafkaProducer<String, String> producer = replicatedProducer();
                KafkaConsumer<String, String> consumer = consumer()) {
            // a consumer reading from broker 1 when its directory fills: its fetch is answered
            // KAFKA_STORAGE_ERROR, it refreshes its metadata and goes on at the new leader
            consumer.assign(List.of(failing));
            consumer.seekToBeginning(List.of(failing));
            long lastAck = System.nanoTime();
            for (int i = 0; i < 60; i++) {
                if (i == 10) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        poll(consumer, consumed);
                        return consumed.size() == 10;
                    });
                    disk.fill("ballast");
                    lastAck = System.nanoTime();
                }
                String value = "r-" + i;
                producer.send(new ProducerRecord<>(REPLICATED, replicatedFull, null, value + "|" + VALUE_PADDING))
                        .get(60, TimeUnit.SECONDS);
                ackedReplicated.add(value);
                long now = System.nanoTime();
                longestPauseMs = Math.max(longestPauseMs, (now - lastAck) / 1_000_000);
                lastAck = now;
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                poll(consumer, consumed);
                return consumed.size() >= ackedReplicated.size();
            });
        }
        assertThat(consumed).as("what the consumer read across the move").containsExactlyElementsOf(ackedReplicated);
        log.info("Leader's directory filled: longest pause between acknowledgements {} ms", longestPauseMs);
        assertThat(longestPauseMs)
                .as("longest pause between acknowledgements while leadership moves, ms")
                .isLessThan(10_000);

        try (Admin admin = admin()) {
            List<TopicPartitionInfo> partitions = describe(admin, REPLICATED).partitions();
            TopicPartitionInfo moved = partitions.get(replicatedFull);
            assertThat(moved.leader().id()).isIn(2, 3);
            assertThat(moved.isr()).extracting(Node::id).containsExactlyInAnyOrder(2, 3);
            TopicPartitionInfo kept = partitions.get(replicatedHealthy);
            assertThat(kept.leader().id())
                    .as("the replica in the healthy directory keeps leading")
                    .isEqualTo(1);
            assertThat(kept.isr()).hasSize(3);
        }
        assertThat(read(REPLICATED, replicatedFull)).containsExactlyElementsOf(ackedReplicated);
        String brokerLog = Files.readString(cluster.logFile("broker-1"));
        assertThat(Pattern.compile("Replicas \\[[^\\]]*" + REPLICATED + "-" + replicatedFull
                                + "[^\\]]*] of offline log directory " + Pattern.quote(fullDir.toString()))
                        .matcher(brokerLog)
                        .results()
                        .count())
                .as("the broker says once which replicas of which directory it handed to the controller")
                .isEqualTo(1);
        assertThat(Files.readString(cluster.logFile("metadata-1")))
                .contains("Broker 1 reports log directories [" + fullDir + "] offline");
    }

    @Test
    @Order(4)
    void shouldBringTheReplicaBackIntoTheIsrWhenTheBrokerRestartsWithSpace() throws Exception {
        cluster.stop("broker-1");
        disk.free("ballast");
        cluster.restart("broker-1");
        cluster.awaitHealthy("broker-1");
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> describe(admin, REPLICATED).partitions().get(replicatedFull).isr().stream()
                            .anyMatch(n -> n.id() == 1));
        }
        assertThat(read(REPLICATED, replicatedFull)).containsExactlyElementsOf(ackedReplicated);
        assertThat(Files.readString(cluster.logFile("metadata-1")))
                .as("the leader adds the restarted broker to the ISR only once it is registered,"
                        + " so the controller never has to take it out again")
                .doesNotContainPattern("Partition " + REPLICATED
                        + "-\\d: leader (\\d) -> \\1, .*ISR \\[[^\\]]*1[^\\]]*]" + " -> \\[[23], [23]]");
    }

    // ---- helpers ----

    private static KafkaProducer<String, String> replicatedProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(props);
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return Admin.create(props);
    }

    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(topic);
    }

    private static void send(KafkaProducer<String, String> producer, int partition, String value, List<String> acked)
            throws Exception {
        producer.send(new ProducerRecord<>(TOPIC, partition, null, value + "|" + VALUE_PADDING))
                .get(15, TimeUnit.SECONDS);
        acked.add(value);
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        // KAFKA_STORAGE_ERROR is retriable: without retries the producer reports it as it came
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.RETRIES_CONFIG, 0);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(props);
    }

    private static List<String> read(int partition) {
        return read(TOPIC, partition);
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static void poll(KafkaConsumer<String, String> consumer, List<String> values) {
        consumer.poll(Duration.ofMillis(200))
                .forEach(r -> values.add(r.value().substring(0, r.value().indexOf('|'))));
    }

    /** The values (without padding) of {@code topic}-{@code partition}, in offset order. */
    private static List<String> read(String topic, int partition) {
        TopicPartition tp = new TopicPartition(topic, partition);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                poll(consumer, values);
            }
        }
        return values;
    }
}
