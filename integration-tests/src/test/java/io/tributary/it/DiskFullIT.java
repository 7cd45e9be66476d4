package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
 * Issue 20, disk full: one broker with two log directories, the second a 2 MiB tmpfs this test
 * mounts. A ballast file fills the tmpfs; the broker must answer produce with
 * {@code KAFKA_STORAGE_ERROR} for the partition there, keep the other directory fully in
 * service, log which partition and directory went offline, and, once space is back and it
 * restarts (recovery is on restart, not online: the directory is rescanned because it got no
 * clean-shutdown marker), serve every acknowledged record and accept writes again.
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
            // once offline, the partition refuses at once rather than retrying the disk
            assertThatThrownBy(() -> send(producer, fullPartition, "after-offline", ackedOnFull))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(KafkaStorageException.class);
            for (int i = 0; i < 5; i++) {
                send(producer, healthyPartition, "during-" + i, ackedOnHealthy);
            }
        }
        assertThat(read(healthyPartition)).containsExactlyElementsOf(ackedOnHealthy);
        assertThat(Files.readString(Path.of("target/it-logs/broker-1.log")))
                .as("the broker log names the partition and the directory it took offline")
                .containsPattern("Taking partition " + TOPIC + "-" + fullPartition + " offline: I/O error in .* in "
                        + fullDir.resolve(TOPIC + "-" + fullPartition));
    }

    @Test
    @Order(2)
    void shouldServeEveryAcknowledgedRecordAndAcceptWritesAfterRestartWithSpace() throws Exception {
        cluster.stop("broker-1");
        assertThat(Files.readString(Path.of("target/it-logs/broker-1.log")))
                .as("the broker log says the directory went offline")
                .contains("Log directory " + fullDir + " is offline");
        disk.free("ballast");
        cluster.restart("broker-1");
        cluster.awaitHealthy("broker-1");
        // the offline directory got no clean-shutdown marker and is rescanned; the healthy one got it
        assertThat(Files.readString(Path.of("target/it-logs/broker-1.log")))
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

    // ---- helpers ----

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

    /** The values (without padding) of partition {@code partition}, in offset order. */
    private static List<String> read(int partition) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition tp = new TopicPartition(TOPIC, partition);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500))
                        .forEach(
                                r -> values.add(r.value().substring(0, r.value().indexOf('|'))));
            }
        }
        return values;
    }
}
