package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.storage.log.LogFileNames;
import io.tributary.storage.testing.KafkaDumpLogSegments;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, log compaction end to end on the {@link SharedCluster}: a topic with one replica,
 * {@code cleanup.policy=compact} and small segments on one of its broker processes, many updates
 * per key from an idempotent kafka-clients producer. A consumer reading from the beginning sees
 * the topic converge to one record per key (the latest; a key deleted by a tombstone disappears
 * once {@code delete.retention.ms} has passed), records without a key are refused, and a restart
 * of the broker holding it keeps the compacted state and the cleaner's checkpoint, after which
 * new updates are compacted again. With a transactional producer, the cleaning removes the aborted transactions'
 * records, so both isolation levels read the latest committed value of each key.
 */
class CompactionIT {

    private static final String TOPIC = "compacted";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final int KEYS = 20;
    private static final String PADDING = "p".repeat(100);

    private static TributaryCluster cluster;

    @BeforeAll
    static void createTopic() throws Exception {
        cluster = SharedCluster.get();
        Topics.create(
                cluster,
                TOPIC,
                1,
                1,
                Map.of(
                        "cleanup.policy", "compact",
                        "segment.bytes", "8192",
                        "segment.ms", "1000",
                        "min.cleanable.dirty.ratio", "0.01",
                        "delete.retention.ms", "0"));
    }

    @Test
    void shouldConvergeToOneRecordPerKeyAndKeepItAcrossARestart() throws Exception {
        Map<String, String> latest = new LinkedHashMap<>();
        try (KafkaProducer<String, String> producer = producer()) {
            writeRounds(producer, 0, 40, latest);
            producer.send(new ProducerRecord<>(TOPIC, "k0", null)).get(15, TimeUnit.SECONDS);
            latest.remove("k0");
            rollActiveSegment(producer, latest);

            assertThat(awaitOneRecordPerKey(latest)).isEqualTo(latest);

            // the same idempotent producer goes on after its batches were compacted
            writeRounds(producer, 40, 41, latest);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPIC, null, "no key"))
                            .get(15, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(InvalidRecordException.class);
        }
        String broker = Topics.brokerOf(cluster, TOPIC);
        Path checkpoint = cluster.dataDir().resolve(broker).resolve("cleaner-offset-checkpoint");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(checkpoint));
        assertThat(Files.readString(checkpoint)).containsPattern("(?m)^compacted 0 [1-9][0-9]*$");
        assertThat(health(broker))
                .contains("\"logCleaner\"")
                .contains("\"compacted-0\"")
                .contains("firstDirtyOffset");

        cluster.stop(broker);
        cluster.restart(broker);
        cluster.awaitHealthy(broker);

        Map<String, Read> afterRestart = readAll();
        assertThat(values(afterRestart)).isEqualTo(latest);
        try (KafkaProducer<String, String> producer = producer()) {
            writeRounds(producer, 41, 60, latest);
            rollActiveSegment(producer, latest);
        }
        assertThat(awaitOneRecordPerKey(latest)).isEqualTo(latest);
    }

    @Test
    void shouldRemoveAbortedTransactionsAndKeepTheLatestCommittedValuePerKey() throws Exception {
        String topic = "compacted-txn";
        TopicPartition partition = new TopicPartition(topic, 0);
        Topics.create(
                cluster,
                topic,
                1,
                1,
                Map.of(
                        "cleanup.policy", "compact",
                        "segment.bytes", "8192",
                        "segment.ms", "1000",
                        "min.cleanable.dirty.ratio", "0.01",
                        "delete.retention.ms", "0"));
        Map<String, String> latest = new LinkedHashMap<>();
        try (KafkaProducer<String, String> producer = transactionalProducer()) {
            producer.initTransactions();
            for (int round = 0; round < 30; round++) {
                boolean commit = round % 3 != 1;
                producer.beginTransaction();
                for (int k = 0; k < KEYS; k++) {
                    String value = (commit ? "committed-" : "aborted-") + round;
                    producer.send(new ProducerRecord<>(topic, "k" + k, value + PADDING));
                    if (commit) {
                        latest.put("k" + k, value);
                    }
                }
                if (commit) {
                    producer.commitTransaction();
                } else {
                    producer.abortTransaction();
                }
            }
            // an aborted round last: its records are the newest of every key
            producer.beginTransaction();
            for (int k = 0; k < KEYS; k++) {
                producer.send(new ProducerRecord<>(topic, "k" + k, "aborted-last" + PADDING));
            }
            producer.abortTransaction();
            Thread.sleep(1_200);
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "roll", "rolled" + PADDING));
            producer.commitTransaction();
            latest.put("roll", "rolled");
        }

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(readAll(partition, "read_uncommitted")).isEqualTo(latest);
                    assertThat(readAll(partition, "read_committed")).isEqualTo(latest);
                });
        // the tool reads every batch and index; cleaned logs have gaps between offsets, which
        // it would list (as for Kafka's own cleaned logs) with --deep-iteration
        Path dir = cluster.dataDir().resolve(Topics.brokerOf(cluster, topic)).resolve(topic + "-0");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> KafkaDumpLogSegments.run(
                                copyOfInactiveSegments(dir), Path.of("target", "compaction-txn-dump"))
                        .assertNoToolErrors());
    }

    /**
     * The files of every segment but the active one (whose preallocated indexes Kafka's tool
     * would read as entries), copied so the cleaner can go on swapping meanwhile.
     */
    private static File copyOfInactiveSegments(Path dir) throws IOException {
        Files.createDirectories(Path.of("target"));
        Path copy = Files.createDirectories(Files.createTempDirectory(Path.of("target"), "inactive-segments")
                .resolve(dir.getFileName()));
        File[] files = Objects.requireNonNull(dir.toFile().listFiles());
        long active = -1;
        for (File file : files) {
            if (LogFileNames.isLogFile(file)) {
                active = Math.max(active, LogFileNames.offsetFromFileName(file.getName()));
            }
        }
        for (File file : files) {
            boolean segmentFile = LogFileNames.isLogFile(file) || LogFileNames.isIndexFile(file);
            if (segmentFile && LogFileNames.offsetFromFileName(file.getName()) != active) {
                Files.copy(file.toPath(), copy.resolve(file.getName()));
            }
        }
        return copy.toFile();
    }

    /** Every record from the beginning to the end offset at {@code isolation}: the last value per key, each key once. */
    private static Map<String, String> readAll(TopicPartition partition, String isolation) {
        Map<String, String> values = new LinkedHashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        try (KafkaConsumer<String, String> consumer = consumer(props)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    String value = record.value().replace(PADDING, "");
                    assertThat(values.put(record.key(), value))
                            .as("an earlier record of %s at %s", record.key(), isolation)
                            .isNull();
                }
            }
        }
        return values;
    }

    private static KafkaProducer<String, String> transactionalProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "compaction-it");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 2048);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(props);
    }

    /** Updates every key once per round, as "{key}-{round}". */
    private static void writeRounds(
            KafkaProducer<String, String> producer, int from, int to, Map<String, String> latest) throws Exception {
        for (int round = from; round < to; round++) {
            for (int k = 0; k < KEYS; k++) {
                String value = "k" + k + "-" + round;
                producer.send(new ProducerRecord<>(TOPIC, "k" + k, value + PADDING));
                latest.put("k" + k, value);
            }
        }
        producer.flush();
    }

    /**
     * The active segment is never cleaned: wait out segment.ms so that the next append, under a
     * key of its own (it stays in the new active segment), rolls it.
     */
    private static void rollActiveSegment(KafkaProducer<String, String> producer, Map<String, String> latest)
            throws Exception {
        Thread.sleep(1_200);
        String key = "roll-" + latest.size();
        producer.send(new ProducerRecord<>(TOPIC, key, "rolled" + PADDING)).get(15, TimeUnit.SECONDS);
        latest.put(key, "rolled");
    }

    /** Waits until reading the partition from the start gives each key once, and returns its values. */
    private static Map<String, String> awaitOneRecordPerKey(Map<String, String> latest) {
        List<Map<String, Read>> last = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Map<String, Read> read = readAll();
                    last.clear();
                    last.add(read);
                    return read.values().stream().allMatch(r -> r.count() == 1)
                            && read.keySet().equals(latest.keySet());
                });
        return values(last.get(0));
    }

    /** One key as read: its last value and how many records it had. */
    private record Read(String value, int count) {}

    private static Map<String, String> values(Map<String, Read> read) {
        Map<String, String> values = new LinkedHashMap<>();
        read.forEach((k, r) -> values.put(k, r.value()));
        return values;
    }

    /** Every record from the beginning to the end offset, per key (a tombstone counts, with a null value). */
    private static Map<String, Read> readAll() {
        Map<String, Read> read = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            long end = consumer.endOffsets(List.of(PARTITION)).get(PARTITION);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (consumer.position(PARTITION) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    Read before = read.get(record.key());
                    int count = before == null ? 1 : before.count() + 1;
                    String value =
                            record.value() == null ? null : record.value().replace(PADDING, "");
                    read.put(record.key(), new Read(value, count));
                }
            }
            assertThat(consumer.position(PARTITION)).isEqualTo(end);
        }
        return read;
    }

    private static String health(String broker) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:"
                                        + cluster.service(broker).httpPort() + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 2048);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(props);
    }

    private static KafkaConsumer<String, String> consumer() {
        return consumer(new Properties());
    }

    private static KafkaConsumer<String, String> consumer(Properties props) {
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(props);
    }
}
