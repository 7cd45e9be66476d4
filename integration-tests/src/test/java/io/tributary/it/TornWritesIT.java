package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.storage.log.LogFileNames;
import io.tributary.storage.testing.KafkaDumpLogSegments;
import io.tributary.storage.testing.KafkaDumpLogSegments.Dump;
import io.tributary.storage.testing.KafkaDumpLogSegments.DumpedBatch;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 20, torn writes: a broker is killed with SIGKILL while a producer drives it through a
 * storm of segment rolls and index writes (4 KiB segments, an index entry for nearly every batch,
 * 256-byte indexes that fill and roll too), twice, at seeded random moments. Each restart must
 * recover every acknowledged record with dense offsets, and after the last recovery (and a clean
 * stop) Kafka's own {@code DumpLogSegments} must read every segment and index without a complaint. The exact torn
 * states (a new segment without indexes, half an index entry, ...) are made on disk by storage's
 * {@code TornWriteRecoveryTest}; this test shows a real kill of a real process recovers too.
 */
class TornWritesIT {

    private static final Logger log = LoggerFactory.getLogger(TornWritesIT.class);
    private static final String TOPIC = "torn";
    private static final String PADDING = "p".repeat(200);

    private static TributaryCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TributaryCluster();
        cluster.startMetadataService("metadata-1");
        cluster.startBroker(1);
        cluster.awaitHealthy();
        Topics.create(
                cluster,
                TOPIC,
                1,
                1,
                Map.of("segment.bytes", "4096", "index.interval.bytes", "128", "segment.index.bytes", "256"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldRecoverEveryAcknowledgedRecordDenselyAfterKill9DuringSegmentRollsAndIndexWrites() throws Exception {
        long seed = Long.getLong("torn.seed", System.nanoTime());
        log.info("TornWritesIT seed {} (replay with -Dtorn.seed={})", seed, seed);
        Random random = new Random(seed);
        List<String> acked = Collections.synchronizedList(new ArrayList<>());
        int killsDuringRolls = 2;
        for (int round = 0; round < killsDuringRolls; round++) {
            int rollsBefore = count("Rolled new segment");
            try (Producing producing = new Producing(acked, "r" + round)) {
                // well into the storm: at least 20 rolls, then a random moment
                await().atMost(Duration.ofSeconds(60)).until(() -> count("Rolled new segment") >= rollsBefore + 20);
                Thread.sleep(random.nextInt(1500));
                cluster.kill("broker-1");
                assertThat(producing.errorsBeforeKill()).isEmpty();
                log.info(
                        "Kill {} left {}",
                        round + 1,
                        newestSegment(partitionDir().toFile()));
            }
            cluster.restart("broker-1");
            cluster.awaitHealthy("broker-1");
            log.info("Checking the log after kill {} (seed {})", round + 1, seed);
            assertDense(readAll(), acked);
        }
        assertThat(Files.readString(cluster.logFile("broker-1")))
                .contains("Loading logs from " + partitionDir().getParent() + " (unclean shutdown)");

        // a clean stop only trims the active indexes: their preallocated zeros would read as
        // entries (so Kafka's tool, like Kafka's broker, expects an active segment to be closed)
        cluster.stop("broker-1");
        File dir = partitionDir().toFile();
        Path work = Path.of("target", "torn-writes-dump");
        Dump dump = KafkaDumpLogSegments.run(dir, work, "--deep-iteration");
        dump.assertNoToolErrors();
        KafkaDumpLogSegments.run(dir, work, "--index-sanity-check").assertNoToolErrors();
        List<Long> bases = segmentBases(dir);
        assertThat(bases).as("segments rolled").hasSizeGreaterThan(2 * 20);
        long expected = 0;
        for (long base : bases) {
            for (DumpedBatch batch : dump.batches(LogFileNames.logFile(dir, base))) {
                assertThat(batch.baseOffset())
                        .as("dense batches in segment %d", base)
                        .isEqualTo(expected);
                assertThat(batch.valid()).isTrue();
                expected = batch.lastOffset() + 1;
            }
        }
        assertThat(expected).isGreaterThanOrEqualTo(acked.size());
    }

    private static void assertDense(List<ConsumerRecord<String, String>> records, List<String> acked) {
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).offset()).as("offset of record %d", i).isEqualTo(i);
        }
        Set<String> values = new HashSet<>();
        records.forEach(r -> values.add(r.value()));
        List<String> lost = new ArrayList<>();
        synchronized (acked) {
            for (String value : acked) {
                if (!values.contains(value)) {
                    lost.add(value);
                }
            }
        }
        assertThat(lost).as("acknowledged records lost").isEmpty();
        assertThat(values).as("no record twice").hasSameSizeAs(records);
    }

    private static Path partitionDir() {
        return cluster.dataDir().resolve("broker-1").resolve(TOPIC + "-0");
    }

    private static List<Long> segmentBases(File dir) {
        return java.util.Arrays.stream(Objects.requireNonNull(dir.listFiles()))
                .filter(LogFileNames::isLogFile)
                .map(f -> LogFileNames.offsetFromFileName(f.getName()))
                .sorted()
                .toList();
    }

    /** What the kill left of the newest segment: its sizes and which index files exist, for the test log. */
    private static String newestSegment(File dir) {
        List<Long> bases = segmentBases(dir);
        long base = bases.get(bases.size() - 1);
        File index = LogFileNames.offsetIndexFile(dir, base);
        File timeIndex = LogFileNames.timeIndexFile(dir, base);
        return "segment " + base + " of " + bases.size() + ": log "
                + LogFileNames.logFile(dir, base).length()
                + " bytes, index " + (index.exists() ? index.length() + " bytes" : "missing") + ", time index "
                + (timeIndex.exists() ? timeIndex.length() + " bytes" : "missing");
    }

    private static int count(String text) throws Exception {
        int count = 0;
        for (String line : Files.readAllLines(cluster.logFile("broker-1"))) {
            if (line.contains(text)) {
                count++;
            }
        }
        return count;
    }

    /** Every record of the partition, read from offset 0 to its end. */
    private static List<ConsumerRecord<String, String>> readAll() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    /** An idempotent acks=all producer sending as fast as it may until closed; remembers what was acknowledged. */
    private static final class Producing implements AutoCloseable {
        private final KafkaProducer<String, String> producer;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Throwable> errorsBeforeKill = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        Producing(List<String> acked, String prefix) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            // a batch per ~4 records, so a 4 KiB segment holds a few batches; 100 sends outstanding at most
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024);
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
            Semaphore outstanding = new Semaphore(100);
            thread = new Thread(
                    () -> {
                        try {
                            for (int i = 0; running.get(); i++) {
                                outstanding.acquire();
                                String value = prefix + "-" + i + "|" + PADDING;
                                producer.send(new ProducerRecord<>(TOPIC, 0, null, value), (metadata, e) -> {
                                    outstanding.release();
                                    if (e == null) {
                                        acked.add(value);
                                    } else if (cluster.service("broker-1").isAlive()) {
                                        errorsBeforeKill.add(e);
                                    }
                                });
                            }
                        } catch (InterruptedException | RuntimeException e) {
                            // the producer was closed under a blocked send: this run is over
                        }
                    },
                    "torn-writes-producer");
            thread.start();
        }

        List<Throwable> errorsBeforeKill() {
            return List.copyOf(errorsBeforeKill);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            // what was not acknowledged by now fails here; it was never acknowledged
            producer.close(Duration.ZERO);
            thread.interrupt();
            thread.join(10_000);
        }
    }
}
