package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.it.HostileFrames.Kind;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
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
 * Issue 20, hostile frames: thousands of malformed requests over real sockets at a real broker
 * process ({@link HostileFrames}: lying size prefixes, unknown APIs and versions, corrupt and cut
 * record batches, cut varints, garbage, pipelined floods), then slow senders and a connection
 * flood, while a real idempotent producer and a consumer on another address keep working.
 * Each malformed request must get Kafka's answer (an error code) or close only its own
 * connection: a long-lived sentinel connection on the hostile address is checked throughout.
 *
 * <p>Random choices come from one seed, printed at the start; rerun with
 * {@code -Dhostile.seed=N} to replay a failure. Hostile connections come from other loopback
 * addresses (127.0.0.2 and up) than the clients (127.0.0.1), so the per-address limit can be
 * tested without refusing the clients.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileFramesIT {

    private static final Logger log = LoggerFactory.getLogger(HostileFramesIT.class);
    private static final String TOPIC = "well-behaved";
    private static final String CRC_TOPIC = "hostile-target";
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;
    private static final Duration MAX_IDLE = Duration.ofSeconds(3);
    private static final int MAX_CONNECTIONS_PER_IP = 12;
    private static final int CASES = 2500;

    private static TributaryCluster cluster;
    private static int port;
    private static long seed;
    private static Map<ApiKeys, ApiVersion> served;
    private static RawConnection sentinel;
    private static int sentinelCorrelation;
    private static WellBehavedClients clients;

    @BeforeAll
    static void startCluster() throws Exception {
        seed = Long.getLong("hostile.seed", System.nanoTime());
        log.info("HostileFramesIT seed {} (replay with -Dhostile.seed={})", seed, seed);
        System.out.println("HostileFramesIT seed " + seed);
        cluster = new TributaryCluster();
        cluster.startMetadataService("metadata-1");
        cluster.startBroker(
                1,
                "--tributary.broker.socket-request-max-bytes=" + MAX_REQUEST_BYTES + "B",
                "--tributary.broker.connections-max-idle=" + MAX_IDLE.toSeconds() + "s",
                "--tributary.broker.max-connections-per-ip=" + MAX_CONNECTIONS_PER_IP);
        cluster.awaitHealthy();
        Topics.create(cluster, TOPIC, 1, 1, Map.of());
        Topics.create(cluster, CRC_TOPIC, 1, 1, Map.of());
        port = cluster.service("broker-1").kafkaPort();
        sentinel = RawConnection.open("127.0.0.2", port, Duration.ofSeconds(15));
        served = servedApis();
        clients = new WellBehavedClients(cluster.bootstrapServers());
        clients.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (clients != null) {
            clients.stop();
        }
        if (sentinel != null) {
            sentinel.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldAnswerOrCloseEachOfThousandsOfMalformedRequestsAndKeepServingEveryoneElse() {
        HostileFrames frames = new HostileFrames(port, MAX_REQUEST_BYTES, served, CRC_TOPIC, new Random(seed));
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        int malformed = 0;
        long acked = clients.acked();
        for (int i = 0; i < CASES; i++) {
            Kind kind = frames.nextKind();
            // spread over 200 addresses so no per-address limit is met by the churn
            String localIp = "127.0.1." + (1 + i % 200);
            try {
                malformed += frames.run(kind, localIp);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("case " + i + " (" + kind + ") failed; seed " + seed, e);
            }
            counts.merge(kind, 1, Integer::sum);
            if (i % 25 == 0) {
                assertSentinelServed();
            }
            if (i % 500 == 499) {
                long before = acked;
                await().atMost(Duration.ofSeconds(20)).until(() -> clients.acked() > before);
                acked = clients.acked();
            }
        }
        log.info("Sent {} malformed requests in {} cases: {}", malformed, CASES, counts);
        assertThat(malformed).isGreaterThanOrEqualTo(2000);
        assertThat(counts).containsOnlyKeys(Kind.values());
        assertSentinelServed();
        assertThat(clients.errors()).isEmpty();
    }

    @Test
    @Order(2)
    void shouldCloseSlowSendersAndLyingSizePrefixesAfterConnectionsMaxIdle() throws Exception {
        List<RawConnection> stalled = new ArrayList<>();
        List<RawConnection> trickling = new ArrayList<>();
        byte[] request = Frames.request(
                ApiKeys.API_VERSIONS,
                served.get(ApiKeys.API_VERSIONS).maxVersion(),
                1,
                HostileFrames.apiVersionsRequest());
        long started = System.nanoTime();
        try {
            for (int i = 0; i < 3; i++) {
                RawConnection lying = RawConnection.open("127.0.0.4", port, Duration.ofSeconds(20));
                // promises 1000 bytes, sends 10, then waits
                lying.send(Frames.withClaimedSize(1000, new byte[10]));
                stalled.add(lying);
                trickling.add(RawConnection.open("127.0.0.4", port, Duration.ofSeconds(20)));
            }
            // a byte every 250 ms: never idle for 3 s, but a request takes far longer than that
            boolean open = true;
            for (int b = 0; open && b < request.length; b++) {
                for (RawConnection connection : trickling) {
                    open &= connection.send(new byte[] {request[b]});
                }
                assertSentinelServed();
                Thread.sleep(250);
            }
            for (RawConnection connection : stalled) {
                assertThat(connection.isClosedByServer()).isTrue();
            }
            for (RawConnection connection : trickling) {
                assertThat(connection.isClosedByServer()).isTrue();
            }
        } finally {
            stalled.forEach(RawConnection::close);
            trickling.forEach(RawConnection::close);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isGreaterThanOrEqualTo(MAX_IDLE).isLessThan(MAX_IDLE.multipliedBy(4));
        // the broker logs the close just after it closes: the client may see the close first
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Files.readString(cluster.logFile("broker-1")))
                        .containsPattern("Closing connection from /127\\.0\\.0\\.4:\\d+: only 14 of 1004 bytes of a"
                                + " request arrived in \\d+ ms \\(connections\\.max\\.idle\\.ms=3000\\)"));
        assertSentinelServed();
    }

    @Test
    @Order(3)
    void shouldRefuseConnectionsBeyondMaxConnectionsPerIpAndAcceptThemAgainOnceSomeClose() throws Exception {
        List<RawConnection> connections = new ArrayList<>();
        short version = served.get(ApiKeys.API_VERSIONS).maxVersion();
        try {
            for (int i = 0; i < MAX_CONNECTIONS_PER_IP; i++) {
                RawConnection connection = RawConnection.open("127.0.0.3", port, Duration.ofSeconds(15));
                connections.add(connection);
                assertThat(errorOf(connection.roundTrip(ApiKeys.API_VERSIONS, version, i, apiVersions())))
                        .isEqualTo(Errors.NONE);
            }
            for (int i = 0; i < 3; i++) {
                try (RawConnection refused = RawConnection.open("127.0.0.3", port, Duration.ofSeconds(15))) {
                    refused.send(Frames.request(ApiKeys.API_VERSIONS, version, 99, apiVersions()));
                    assertThat(refused.isClosedByServer())
                            .as("connection %d over the limit", i)
                            .isTrue();
                }
            }
            assertSentinelServed();
            connections.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (RawConnection again = RawConnection.open("127.0.0.3", port, Duration.ofSeconds(15))) {
                    again.send(Frames.request(ApiKeys.API_VERSIONS, version, 100, apiVersions()));
                    assertThat(again.read(ApiKeys.API_VERSIONS, version)).isPresent();
                }
            });
        } finally {
            connections.forEach(RawConnection::close);
        }
        assertThat(Files.readString(cluster.logFile("broker-1")))
                .containsPattern("Refusing connection from /127\\.0\\.0\\.3:\\d+: max\\.connections\\.per\\.ip="
                        + MAX_CONNECTIONS_PER_IP + " reached");
    }

    @Test
    @Order(4)
    void shouldHaveKeptTheProducerAndConsumerWorkingAndStoredNoMalformedBatch() throws Exception {
        long acked = clients.acked();
        await().atMost(Duration.ofSeconds(20)).until(() -> clients.acked() > acked);
        clients.stop();

        assertThat(clients.errors()).isEmpty();
        assertThat(clients.ackedValues()).hasSizeGreaterThan(100);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(clients.consumedValues()).hasSameSizeAs(clients.ackedValues()));
        assertThat(clients.consumedValues()).containsExactlyElementsOf(clients.ackedValues());
        assertThat(WellBehavedClients.endOffset(cluster.bootstrapServers(), CRC_TOPIC))
                .as("no corrupt or cut batch was appended")
                .isZero();
        assertThat(cluster.service("broker-1").isAlive()).isTrue();
    }

    // ---- helpers ----

    private static Map<ApiKeys, ApiVersion> servedApis() {
        RawConnection.Response response = sentinel.roundTrip(ApiKeys.API_VERSIONS, (short) 3, 0, apiVersions());
        Map<ApiKeys, ApiVersion> apis = new EnumMap<>(ApiKeys.class);
        for (ApiVersion api : ((ApiVersionsResponse) response.body()).data().apiKeys()) {
            apis.put(ApiKeys.forId(api.apiKey()), api);
        }
        return Collections.unmodifiableMap(apis);
    }

    private static void assertSentinelServed() {
        RawConnection.Response response =
                sentinel.roundTrip(ApiKeys.API_VERSIONS, (short) 3, ++sentinelCorrelation, apiVersions());
        assertThat(response.correlationId()).isEqualTo(sentinelCorrelation);
        assertThat(errorOf(response)).isEqualTo(Errors.NONE);
    }

    private static org.apache.kafka.common.message.ApiVersionsRequestData apiVersions() {
        return HostileFrames.apiVersionsRequest();
    }

    private static Errors errorOf(RawConnection.Response response) {
        return Errors.forCode(((ApiVersionsResponse) response.body()).data().errorCode());
    }

    /** An idempotent acks=all producer and a consumer of {@link #TOPIC}, each on its own thread. */
    private static final class WellBehavedClients {
        private final String bootstrap;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<String> acked = Collections.synchronizedList(new ArrayList<>());
        private final List<String> consumed = Collections.synchronizedList(new ArrayList<>());
        private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        private final Thread producerThread = new Thread(this::produce, "well-behaved-producer");
        private final Thread consumerThread = new Thread(this::consume, "well-behaved-consumer");

        WellBehavedClients(String bootstrap) {
            this.bootstrap = bootstrap;
        }

        void start() {
            producerThread.start();
            consumerThread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            producerThread.join(30_000);
            consumerThread.join(30_000);
        }

        long acked() {
            return acked.size();
        }

        List<String> ackedValues() {
            return List.copyOf(acked);
        }

        List<String> consumedValues() {
            return List.copyOf(consumed);
        }

        List<Throwable> errors() {
            return List.copyOf(errors);
        }

        private void produce() {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; running.get(); i++) {
                    String value = "v-" + i;
                    producer.send(new ProducerRecord<>(TOPIC, 0, null, value), (metadata, e) -> {
                        if (e != null) {
                            errors.add(e);
                        } else {
                            acked.add(value);
                        }
                    });
                    Thread.sleep(10);
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }

        private void consume() {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                // runs on after the producer stopped, until the test has read everything it needs
                long stopAt = Long.MAX_VALUE;
                while (System.nanoTime() < stopAt) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> consumed.add(r.value()));
                    if (!running.get() && stopAt == Long.MAX_VALUE) {
                        stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    }
                    if (!producerThread.isAlive() && consumed.size() >= acked.size()) {
                        return;
                    }
                }
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }

        static long endOffset(String bootstrap, String topic) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            TopicPartition tp = new TopicPartition(topic, 0);
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                return consumer.endOffsets(List.of(tp)).get(tp);
            }
        }
    }
}
