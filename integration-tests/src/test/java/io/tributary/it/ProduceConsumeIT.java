package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4 end to end: unmodified kafka-clients against three broker processes and a
 * metadata-service on a real ZooKeeper.
 */
class ProduceConsumeIT {

    private static TributaryCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SharedCluster.get();
    }

    @Test
    void shouldReadBackEveryRecordInOrderWithKeysHeadersAndTimestamps() throws Exception {
        String topic = createTopic("keyed-orders", 3);
        int count = 100_000;
        Map<Integer, List<RecordMetadata>> acked = produce(topic, count, "none");

        Map<Integer, List<ConsumerRecord<String, String>>> read = consumeAll(topic, 3, count);

        assertThat(read.values().stream().mapToInt(List::size).sum()).isEqualTo(count);
        for (int p = 0; p < 3; p++) {
            List<ConsumerRecord<String, String>> records = read.get(p);
            assertThat(records).hasSameSizeAs(acked.get(p));
            for (int i = 0; i < records.size(); i++) {
                ConsumerRecord<String, String> record = records.get(i);
                assertThat(record.offset()).isEqualTo(i);
                int n = Integer.parseInt(record.value().substring("value-".length()));
                assertThat(record.key()).isEqualTo("key-" + n);
                assertThat(record.timestamp()).isEqualTo(1_700_000_000_000L + n);
                assertThat(new String(record.headers().lastHeader("n").value(), StandardCharsets.UTF_8))
                        .isEqualTo(Integer.toString(n));
                if (i > 0) {
                    int previous = Integer.parseInt(records.get(i - 1).value().substring("value-".length()));
                    assertThat(n).as("order within partition %d", p).isGreaterThan(previous);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
    void shouldRoundTripCompressedBatches(String compression) throws Exception {
        String topic = createTopic("compressed-" + compression, 1);
        produce(topic, 5_000, compression);

        Map<Integer, List<ConsumerRecord<String, String>>> read = consumeAll(topic, 1, 5_000);

        assertThat(read.get(0)).hasSize(5_000);
        assertThat(read.get(0).get(4_999).value()).isEqualTo("value-4999");
    }

    @Test
    void shouldFailOnlyTheKeylessRecordOfABatchToACompactedTopicWithItsOwnError() throws Exception {
        String topic = Topics.create(cluster, "compacted-keys", 1, 1, Map.of("cleanup.policy", "compact"));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        // one batch of three records, the middle one without a key
        props.put(ProducerConfig.LINGER_MS_CONFIG, 60_000);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            sent.add(producer.send(new ProducerRecord<>(topic, 0, "k1", "v1")));
            sent.add(producer.send(new ProducerRecord<>(topic, 0, null, "no key")));
            sent.add(producer.send(new ProducerRecord<>(topic, 0, "k3", "v3")));
            producer.flush();
        }

        // record_errors names the keyless record: the producer fails it with the broker's reason
        // and its batch mates with the client's own message, not all three alike
        assertThatThrownBy(() -> sent.get(1).get())
                .cause()
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("Compacted topic cannot accept message without key");
        for (int i : new int[] {0, 2}) {
            assertThatThrownBy(() -> sent.get(i).get())
                    .cause()
                    .isNotInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("part of a batch which had one more more invalid records");
        }
        try (KafkaConsumer<String, String> consumer = consumer(Map.of())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            assertThat(consumer.endOffsets(List.of(tp)).get(tp))
                    .as("nothing of the batch was written")
                    .isZero();
        }
    }

    @Test
    void shouldAnswerBeginningEndAndTimestampOffsets() throws Exception {
        String topic = createTopic("timed", 1);
        produce(topic, 1_000, "none");
        TopicPartition tp = new TopicPartition(topic, 0);

        try (KafkaConsumer<String, String> consumer = consumer()) {
            assertThat(consumer.beginningOffsets(List.of(tp))).containsEntry(tp, 0L);
            assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 1_000L);
            Map<TopicPartition, OffsetAndTimestamp> at = consumer.offsetsForTimes(Map.of(tp, 1_700_000_000_500L));
            assertThat(at.get(tp).offset()).isEqualTo(500L);
            assertThat(at.get(tp).timestamp()).isEqualTo(1_700_000_000_500L);
            assertThat(consumer.offsetsForTimes(Map.of(tp, 1_800_000_000_000L)).get(tp))
                    .isNull();
        }
    }

    @Test
    void shouldAnswerAParkedFetchAsSoonAsAnyOfItsPartitionsGetsARecord() throws Exception {
        String topic = createTopic("long-poll-wake", 6);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        try (KafkaConsumer<String, String> consumer =
                        consumer(Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20_000));
                KafkaProducer<String, String> producer = producer()) {
            parkFetches(consumer, partitions);

            producer.send(new ProducerRecord<>(topic, 5, "k", "v")).get();
            long start = System.nanoTime();
            int received = consumer.poll(Duration.ofSeconds(15)).count();

            // without the wake-up, the fetch would be answered only after fetch.max.wait.ms (20 s)
            assertThat(received).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            closeNow(consumer);
        }
    }

    @Test
    void shouldHoldAFetchUntilMinBytesHaveArrivedOrMaxWaitHasPassed() throws Exception {
        String topic = createTopic("long-poll-min-bytes", 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = consumer(Map.of(
                        ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
                        16_384,
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        5_000));
                KafkaProducer<String, String> producer = producer()) {
            parkFetches(consumer, List.of(partition));

            producer.send(new ProducerRecord<>(topic, "small", "x".repeat(100))).get();
            long start = System.nanoTime();
            assertThat(pollUntil(consumer, 1)).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("100 bytes are less than fetch.min.bytes: answered at fetch.max.wait.ms")
                    .isGreaterThan(Duration.ofSeconds(2));

            consumer.poll(Duration.ofMillis(200));
            for (int n = 0; n < 40; n++) {
                producer.send(new ProducerRecord<>(topic, "big-" + n, "y".repeat(1024)));
            }
            producer.flush();
            start = System.nanoTime();
            // the parked fetch is answered once 16 KiB have arrived; a later one may wait for the rest
            assertThat(pollUntil(consumer, 16)).isGreaterThanOrEqualTo(16);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("16 KiB of the 40 KiB reach fetch.min.bytes: answered before fetch.max.wait.ms")
                    .isLessThan(Duration.ofSeconds(3));
            closeNow(consumer);
        }
    }

    /**
     * Closes without waiting for the fetches still parked on the brokers: a plain close ends the
     * consumer's fetch sessions with a request that each broker answers only after the parked
     * fetch on that connection, up to fetch.max.wait.ms later.
     */
    private static void closeNow(KafkaConsumer<String, String> consumer) {
        consumer.close(CloseOptions.timeout(Duration.ZERO));
    }

    /** Resolves the positions, then polls once so that a fetch waits on the broker for each leader. */
    private static void parkFetches(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();
    }

    private static int pollUntil(KafkaConsumer<String, String> consumer, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int received = 0;
        while (received < expected && System.nanoTime() < deadline) {
            received += consumer.poll(Duration.ofMillis(100)).count();
        }
        return received;
    }

    @Test
    void shouldKeepServingAfterRandomBytesAndTruncatedFrames() throws Exception {
        String topic = createTopic("hostile", 1);
        int port = cluster.service("broker-1").kafkaPort();
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        sendRaw(port, garbage);
        sendRaw(port, ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
        sendRaw(port, ByteBuffer.allocate(10).putInt(100).putShort((short) 3).array());

        produce(topic, 100, "none");
        assertThat(consumeAll(topic, 1, 100).get(0)).hasSize(100);
    }

    private static void sendRaw(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            // a truncated frame is never answered: a second shows it as well as longer would
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            try {
                // the broker closes a connection it cannot parse; a truncated frame just waits
                in.read();
            } catch (IOException expected) {
                // reset or timeout: either way the broker did not answer garbage
            }
        }
    }

    static String createTopic(String name, int partitions) throws Exception {
        return Topics.create(cluster, name, partitions, 1, Map.of());
    }

    private static Map<Integer, List<RecordMetadata>> produce(String topic, int count, String compression)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        Map<Integer, List<RecordMetadata>> acked = new HashMap<>();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>(count);
            for (int n = 0; n < count; n++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(
                        topic,
                        null,
                        1_700_000_000_000L + n,
                        "key-" + n,
                        "value-" + n,
                        List.of(new RecordHeader("n", Integer.toString(n).getBytes(StandardCharsets.UTF_8))));
                sends.add(producer.send(record));
            }
            for (Future<RecordMetadata> send : sends) {
                RecordMetadata metadata = send.get();
                acked.computeIfAbsent(metadata.partition(), p -> new ArrayList<>())
                        .add(metadata);
            }
        }
        return acked;
    }

    private static Map<Integer, List<ConsumerRecord<String, String>>> consumeAll(
            String topic, int partitions, int expected) {
        Map<Integer, List<ConsumerRecord<String, String>>> read = new HashMap<>();
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
            read.put(p, new ArrayList<>());
        }
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int total = 0;
            while (total < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read.get(record.partition()).add(record);
                    total++;
                }
            }
        }
        return read;
    }

    static KafkaConsumer<String, String> consumer() {
        return consumer(Map.of());
    }

    static KafkaConsumer<String, String> consumer(Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putAll(overrides);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
