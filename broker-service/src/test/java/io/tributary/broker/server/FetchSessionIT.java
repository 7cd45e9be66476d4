package io.tributary.broker.server;

import static io.tributary.common.testing.ServiceTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.fetch.FetchSession;
import io.tributary.broker.fetch.FetchSessionCache;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * kafka-clients' consumer opens a fetch session (KIP-227) on its own and then sends incremental
 * fetches naming only the partitions that changed; reading three partitions through rounds of
 * produce, where each round touches one partition only, it must still get every record, in
 * order, and the broker must hold its session at a later epoch. The same traffic shows on the
 * broker's {@code /actuator/prometheus} as Kafka's request metrics (time and count per request,
 * error codes per response) and socket-server metrics (connections).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tributary.broker.id=4", "tributary.broker.kafka-port=0", "spring.cloud.zookeeper.max-retries=1"})
@DirtiesContext
class FetchSessionIT {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    private static final String TOPIC = "sessions";
    private static final int PARTITIONS = 3;

    @DynamicPropertySource
    static void zookeeper(DynamicPropertyRegistry registry) {
        registry.add("tributary.zookeeper.connect", ZOOKEEPER::connectString);
        registry.add("tributary.broker.log-dirs", () -> {
            try {
                return Files.createTempDirectory("broker-4").toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Autowired
    CuratorFramework curator;

    @Autowired
    ReplicaManager replicaManager;

    @Autowired
    KafkaProtocolServer kafkaServer;

    @Autowired
    FetchSessionCache sessions;

    @LocalServerPort
    int httpPort;

    @Test
    void shouldDeliverEveryRecordToAConsumerFetchingIncrementally() throws Exception {
        List<TopicPartition> partitions = createTopicLedByThisBroker(TOPIC, PARTITIONS);
        Set<Integer> earlierSessions =
                sessions.sessions().stream().map(FetchSession::id).collect(Collectors.toSet());

        try (KafkaProducer<String, String> producer = producer();
                KafkaConsumer<String, String> consumer = consumer(100)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> expected = new ArrayList<>();
            List<String> received = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                int partition = round % PARTITIONS;
                for (int i = 0; i < 3; i++) {
                    String value = "r" + round + "-p" + partition + "-" + i;
                    producer.send(new ProducerRecord<>(TOPIC, partition, null, value))
                            .get(10, TimeUnit.SECONDS);
                    expected.add(value);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (received.size() < expected.size() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        received.add(record.value());
                    }
                }
                assertThat(received).containsExactlyElementsOf(expected);
            }

            // another test's consumer may have left its session behind
            List<FetchSession> open = sessions.sessions().stream()
                    .filter(session -> !earlierSessions.contains(session.id()))
                    .toList();
            assertThat(open).hasSize(1);
            assertThat(open.get(0).size()).isEqualTo(PARTITIONS);
            // one full fetch opened it; every later fetch was an incremental one
            assertThat(open.get(0).nextEpoch()).isGreaterThan(6);
        }
    }

    @Test
    void shouldShowRequestTimesAndResponseErrorCodesPerRequestOnPrometheus() throws Exception {
        String topic = "metered";
        TopicPartition tp = createTopicLedByThisBroker(topic, 1).get(0);
        int records = 5;
        long maxWaitMs = 500;

        try (KafkaProducer<String, String> producer = producer();
                KafkaConsumer<String, String> consumer = consumer(maxWaitMs)) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "v" + i)).get(10, TimeUnit.SECONDS);
            }
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            int received = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received < records && System.nanoTime() < deadline) {
                received += consumer.poll(Duration.ofMillis(100)).count();
            }
            assertThat(received).isEqualTo(records);
            // nothing more to read: the broker parks these fetches for fetch.max.wait.ms
            assertThat(consumer.poll(Duration.ofMillis(3 * maxWaitMs))).isEmpty();
            assertThat(consumer.partitionsFor("no-such-topic")).isEmpty();

            String open = get(httpPort, "/actuator/prometheus").body();
            assertThat(gauge(open, "kafka_server_socket_server_connection_count"))
                    .as("the producer's and the consumer's connections")
                    .isGreaterThanOrEqualTo(2);
            assertThat(gauge(open, "kafka_server_socket_server_connection_creation_total"))
                    .isGreaterThanOrEqualTo(2);
        }
        // nothing else connects to this broker: every connection closes with the clients
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(gauge(
                                get(httpPort, "/actuator/prometheus").body(),
                                "kafka_server_socket_server_connection_count"))
                        .isZero());

        // a response's time is recorded once its write completes, a hair after the client may read it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = get(httpPort, "/actuator/prometheus").body();
            assertThat(sample(scrape, "kafka_network_request_total_time_seconds_count", "Produce"))
                    .isGreaterThanOrEqualTo(records);
            assertThat(sample(scrape, "kafka_network_request_total_time_seconds_count", "FetchConsumer"))
                    .isGreaterThanOrEqualTo(2);
            assertThat(sample(scrape, "kafka_network_request_total_time_seconds_max", "FetchConsumer"))
                    .as("a parked fetch's time includes its wait")
                    .isGreaterThanOrEqualTo(maxWaitMs / 1000.0);
            assertThat(sample(scrape, "kafka_network_request_errors_total", "Produce", "NONE"))
                    .isGreaterThanOrEqualTo(records);
            assertThat(sample(scrape, "kafka_network_request_errors_total", "Metadata", "UNKNOWN_TOPIC_OR_PARTITION"))
                    .isGreaterThanOrEqualTo(1);
        });
    }

    /** The value of {@code metric}, which has no labels. */
    private static double gauge(String scrape, String metric) {
        return scrape.lines()
                .filter(line -> line.startsWith(metric + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(metric + " is not on /actuator/prometheus"));
    }

    /** The sum of the samples of {@code metric} whose {@code request} (and {@code error}) label match. */
    private static double sample(String scrape, String metric, String request, String... error) {
        String requestLabel = "request=\"" + request + "\"";
        String errorLabel = error.length == 0 ? "" : "error=\"" + error[0] + "\"";
        return scrape.lines()
                .filter(line -> line.startsWith(metric + "{"))
                .filter(line -> line.contains(requestLabel) && line.contains(errorLabel))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private List<TopicPartition> createTopicLedByThisBroker(String topic, int partitions) throws Exception {
        Map<Integer, List<Integer>> assignment = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            assignment.put(p, List.of(4));
        }
        TopicRecord record = new TopicRecord(UUID.randomUUID(), assignment, Map.of());
        curator.create().creatingParentsIfNeeded().forPath(ZkPaths.topic(topic), ZkJson.toBytes(record));
        List<TopicPartition> created = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            curator.create()
                    .creatingParentsIfNeeded()
                    .forPath(ZkPaths.partitionState(topic, p), ZkJson.toBytes(new PartitionState(4, 0, List.of(4), 1)));
            created.add(new TopicPartition(topic, p));
        }
        for (TopicPartition tp : created) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> replicaManager
                            .localPartition(tp)
                            .filter(Partition::isLeader)
                            .isPresent());
        }
        return created;
    }

    private String bootstrap() {
        return "localhost:" + kafkaServer.port();
    }

    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(props);
    }

    private KafkaConsumer<String, String> consumer(long fetchMaxWaitMs) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) fetchMaxWaitMs);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(props);
    }
}
