package io.tributary.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.partition.ReplicaManager;
import io.tributary.broker.security.SecureTestSupport;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.testing.ZookeeperExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterClientQuotasOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Client quotas with real clients against one broker: quotas altered and described through the
 * AdminClient (defaults, precedence, validation); a producer and a consumer over their byte rates
 * are held to them with throttle times (which their own metrics show) while clients without a quota
 * on the same broker are not slowed; removing a quota lifts the throttling within seconds; a client
 * over its share of request time is throttled for at most one sample. The
 * window is 3 samples of 1 s, so a client's first burst is short.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tributary.broker.id=7",
            "tributary.broker.kafka-port=0",
            "spring.cloud.zookeeper.max-retries=1",
            "tributary.broker.quota.window-num=3",
            "tributary.broker.quota.window-size=1s"
        })
@DirtiesContext
class ClientQuotaIT {

    private static final Logger LOG = LoggerFactory.getLogger(ClientQuotaIT.class);

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    private static final int BROKER = 7;
    private static final double QUOTA = 200 * 1024;
    private static final byte[] VALUE = new byte[1000];
    /** What the consumers read: 2 MB, ten seconds at the quota. */
    private static final int RECORDS = 2 * 1024;
    /** A producer buffer this small makes send() block while the broker throttles, instead of queueing megabytes. */
    private static final int SMALL_BUFFER = 64 * 1024;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tributary.zookeeper.connect", ZOOKEEPER::connectString);
        registry.add("tributary.broker.log-dirs", () -> {
            try {
                return Files.createTempDirectory("quota-it").toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Autowired
    KafkaProtocolServer kafkaServer;

    @Autowired
    CuratorFramework curator;

    @Autowired
    ReplicaManager replicaManager;

    @Test
    void shouldDescribeWhatWasAlteredWithDefaultsAndFilters() throws Exception {
        ClientQuotaEntity alice = entity("alice", null);
        ClientQuotaEntity aliceApp = entity("alice", "app");
        ClientQuotaEntity defaultClient = defaultClientId();
        ClientQuotaEntity app = entity(null, "app");
        try (Admin admin = admin()) {
            alter(admin, alice, Map.of("producer_byte_rate", 1024.0, "consumer_byte_rate", 2048.0));
            alter(admin, aliceApp, Map.of("request_percentage", 50.0));
            alter(admin, defaultClient, Map.of("consumer_byte_rate", 4096.0));
            alter(admin, app, Map.of("producer_byte_rate", 512.0));

            assertThat(admin.describeClientQuotas(ClientQuotaFilter.all())
                            .entities()
                            .get())
                    .containsOnlyKeys(alice, aliceApp, defaultClient, app)
                    .containsEntry(alice, Map.of("producer_byte_rate", 1024.0, "consumer_byte_rate", 2048.0))
                    .containsEntry(aliceApp, Map.of("request_percentage", 50.0));
            // kafka-configs --describe --entity-type clients: named client ids only
            assertThat(describe(
                            admin,
                            ClientQuotaFilter.containsOnly(
                                    List.of(ClientQuotaFilterComponent.ofEntityType(ClientQuotaEntity.CLIENT_ID)))))
                    .containsOnlyKeys(app);
            assertThat(describe(
                            admin,
                            ClientQuotaFilter.contains(
                                    List.of(ClientQuotaFilterComponent.ofDefaultEntity(ClientQuotaEntity.CLIENT_ID)))))
                    .containsOnlyKeys(defaultClient);
            assertThat(describe(
                            admin,
                            ClientQuotaFilter.contains(
                                    List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "alice")))))
                    .containsOnlyKeys(alice, aliceApp);
            assertThat(describe(
                            admin,
                            ClientQuotaFilter.containsOnly(
                                    List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "alice")))))
                    .containsOnlyKeys(alice);

            // removing a key keeps the others; removing the last removes the entity
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                            alice, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", null)))))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            alterRemoving(admin, aliceApp, "request_percentage");
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.all())
                            .entities()
                            .get())
                    .containsOnlyKeys(alice, defaultClient, app)
                    .containsEntry(alice, Map.of("consumer_byte_rate", 2048.0));

            // validate_only checks but stores nothing
            admin.alterClientQuotas(
                            List.of(new ClientQuotaAlteration(
                                    entity("bob", null),
                                    List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1.0)))),
                            new AlterClientQuotasOptions().validateOnly(true))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.all())
                            .entities()
                            .get())
                    .doesNotContainKey(entity("bob", null));

            assertThatThrownBy(() -> alter(admin, alice, Map.of("producer_rate", 1.0)))
                    .hasCauseInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("Unknown quota key producer_rate");
            assertThatThrownBy(() -> alter(admin, alice, Map.of("producer_byte_rate", 1.5)))
                    .hasCauseInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> alter(
                            admin,
                            new ClientQuotaEntity(Map.of("ip", "10.0.0.1")),
                            Map.of("connection_creation_rate", 1.0)))
                    .hasCauseInstanceOf(InvalidRequestException.class);

            for (ClientQuotaEntity entity : List.of(alice, defaultClient, app)) {
                admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                                entity,
                                List.of(
                                        new ClientQuotaAlteration.Op("producer_byte_rate", null),
                                        new ClientQuotaAlteration.Op("consumer_byte_rate", null)))))
                        .all()
                        .get(10, TimeUnit.SECONDS);
            }
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.all())
                            .entities()
                            .get())
                    .isEmpty();
        }
    }

    @Test
    void shouldHoldAProducerToItsByteRateWithoutSlowingOthersUntilTheQuotaIsRemoved() throws Exception {
        TopicPartition tp = createLocalTopic("quota-produce");
        ClientQuotaEntity metered = entity(null, "metered-producer");
        try (Admin admin = admin();
                KafkaProducer<byte[], byte[]> meteredProducer = producer("metered-producer", SMALL_BUFFER);
                KafkaProducer<byte[], byte[]> freeProducer = producer("free-producer", SMALL_BUFFER);
                Load meteredLoad = new Load(meteredProducer, tp);
                Load freeLoad = new Load(freeProducer, tp)) {
            alter(admin, metered, Map.of("producer_byte_rate", QUOTA));
            await().atMost(Duration.ofSeconds(10)).until(() -> quotaApplied(QuotaType.PRODUCE, "metered-producer"));

            meteredLoad.start();
            freeLoad.start();
            // past the first burst the window allows, once the broker has throttled it
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> metric(meteredProducer.metrics(), "produce-throttle-time-max") > 0);
            double meteredRate = meteredLoad.rateOver(Duration.ofSeconds(5));
            double freeRate = freeLoad.rateOver(Duration.ofSeconds(1));

            LOG.info("Produce rates: metered {} B/s (quota {}), free {} B/s", meteredRate, QUOTA, freeRate);
            assertThat(meteredRate).isLessThanOrEqualTo(1.2 * QUOTA);
            assertThat(metric(meteredProducer.metrics(), "produce-throttle-time-avg"))
                    .isGreaterThan(0);
            assertThat(freeRate).isGreaterThan(3 * QUOTA);
            assertThat(metric(freeProducer.metrics(), "produce-throttle-time-max"))
                    .isZero();

            alterRemoving(admin, metered, "producer_byte_rate");
            await().atMost(Duration.ofSeconds(10)).until(() -> meteredLoad.rateOver(Duration.ofSeconds(1)) > 3 * QUOTA);
        }
    }

    @Test
    void shouldThrottleAClientOverItsRequestTimeShareForAtMostOneSample() throws Exception {
        TopicPartition tp = createLocalTopic("quota-requests");
        ClientQuotaEntity busy = entity(null, "busy-producer");
        try (Admin admin = admin();
                KafkaProducer<byte[], byte[]> producer = producer("busy-producer", SMALL_BUFFER)) {
            // 0.01 % of a thread: 100 µs of the broker's time a second, less than a few appends take
            alter(admin, busy, Map.of("request_percentage", 0.01));
            await().atMost(Duration.ofSeconds(10)).until(() -> quotaApplied(QuotaType.REQUEST, "busy-producer"));

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, VALUE))
                        .get(10, TimeUnit.SECONDS);
                return metric(producer.metrics(), "produce-throttle-time-max") > 0;
            });
            // Kafka bounds a request-time throttle at one sample (1 s here), however far over the quota
            assertThat(metric(producer.metrics(), "produce-throttle-time-max")).isLessThanOrEqualTo(1000);
            alterRemoving(admin, busy, "request_percentage");
        }
    }

    @Test
    void shouldHoldAConsumerToItsByteRateWithoutSlowingOthers() throws Exception {
        TopicPartition tp = createLocalTopic("quota-fetch");
        try (KafkaProducer<byte[], byte[]> loader = producer("loader", 32 * 1024 * 1024)) {
            for (int i = 0; i < RECORDS; i++) {
                loader.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, VALUE));
            }
            loader.flush();
        }
        // a default quota for every client id, and a higher one for the free consumer (more specific)
        try (Admin admin = admin()) {
            alter(admin, defaultClientId(), Map.of("consumer_byte_rate", QUOTA));
            alter(admin, entity(null, "free-consumer"), Map.of("consumer_byte_rate", 1e9));
            await().atMost(Duration.ofSeconds(10)).until(() -> quotaApplied(QuotaType.FETCH, "metered-consumer"));
            try (KafkaConsumer<byte[], byte[]> metered = consumer("metered-consumer", tp, 32 * 1024);
                    KafkaConsumer<byte[], byte[]> free = consumer("free-consumer", tp, 1024 * 1024)) {
                long started = System.nanoTime();
                long freeBytes = 0;
                while (freeBytes < RECORDS * VALUE.length && System.nanoTime() - started < 10_000_000_000L) {
                    freeBytes += bytes(free.poll(Duration.ofMillis(100)));
                }
                double freeSeconds = (System.nanoTime() - started) / 1e9;
                assertThat(freeBytes).isEqualTo((long) RECORDS * VALUE.length);
                assertThat(freeBytes / freeSeconds).isGreaterThan(3 * QUOTA);
                assertThat(metric(free.metrics(), "fetch-throttle-time-max")).isZero();

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (metric(metered.metrics(), "fetch-throttle-time-max") <= 0 && System.nanoTime() < deadline) {
                    metered.poll(Duration.ofMillis(100));
                }
                long measureFrom = System.nanoTime();
                long meteredBytes = 0;
                while (System.nanoTime() - measureFrom < TimeUnit.SECONDS.toNanos(5)) {
                    meteredBytes += bytes(metered.poll(Duration.ofMillis(100)));
                }
                double meteredRate = meteredBytes / ((System.nanoTime() - measureFrom) / 1e9);
                LOG.info(
                        "Fetch rates: metered {} B/s (quota {}), free {} B/s",
                        meteredRate,
                        QUOTA,
                        freeBytes / freeSeconds);
                assertThat(meteredRate).isLessThanOrEqualTo(1.2 * QUOTA);
                assertThat(metric(metered.metrics(), "fetch-throttle-time-avg")).isGreaterThan(0);
            }
            alterRemoving(admin, defaultClientId(), "consumer_byte_rate");
            alterRemoving(admin, entity(null, "free-consumer"), "consumer_byte_rate");
        }
    }

    /** Whether this broker's cache has a quota of {@code type} for the client id. */
    private boolean quotaApplied(QuotaType type, String clientId) {
        return clientQuotaStore.configs().quota(type, "ANONYMOUS", clientId).isPresent();
    }

    @Autowired
    ClientQuotaStore clientQuotaStore;

    /** An entity of a user and/or client id. */
    private static ClientQuotaEntity entity(String user, String clientId) {
        Map<String, String> components = new HashMap<>();
        if (user != null) {
            components.put(ClientQuotaEntity.USER, user);
        }
        if (clientId != null) {
            components.put(ClientQuotaEntity.CLIENT_ID, clientId);
        }
        return new ClientQuotaEntity(components);
    }

    /** The default client id entity (a {@code null} name on the wire, {@code <default>} in the tools). */
    private static ClientQuotaEntity defaultClientId() {
        Map<String, String> components = new HashMap<>();
        components.put(ClientQuotaEntity.CLIENT_ID, null);
        return new ClientQuotaEntity(components);
    }

    private static void alter(Admin admin, ClientQuotaEntity entity, Map<String, Double> values)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        List<ClientQuotaAlteration.Op> ops = new ArrayList<>();
        values.forEach((key, value) -> ops.add(new ClientQuotaAlteration.Op(key, value)));
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity, ops)))
                .all()
                .get(10, TimeUnit.SECONDS);
    }

    private static void alterRemoving(Admin admin, ClientQuotaEntity entity, String key) throws Exception {
        admin.alterClientQuotas(
                        List.of(new ClientQuotaAlteration(entity, List.of(new ClientQuotaAlteration.Op(key, null)))))
                .all()
                .get(10, TimeUnit.SECONDS);
    }

    private static Map<ClientQuotaEntity, Map<String, Double>> describe(Admin admin, ClientQuotaFilter filter)
            throws Exception {
        return admin.describeClientQuotas(filter).entities().get(10, TimeUnit.SECONDS);
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .filter(v -> !Double.isNaN(v))
                .max()
                .orElse(0);
    }

    private static long bytes(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            bytes += record.serializedValueSize();
        }
        return bytes;
    }

    private TopicPartition createLocalTopic(String topic) throws Exception {
        return SecureTestSupport.createLocalTopic(curator, replicaManager, topic, BROKER);
    }

    private String bootstrap() {
        return "localhost:" + kafkaServer.port();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
    }

    private KafkaProducer<byte[], byte[]> producer(String clientId, int bufferMemory) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, bufferMemory);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    /** @param fetchBytes small for a metered consumer, so its rate is measured in steps much finer than the quota */
    private KafkaConsumer<byte[], byte[]> consumer(String clientId, TopicPartition tp, int fetchBytes) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, fetchBytes);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, fetchBytes);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        return consumer;
    }

    /** A producer sending as fast as it may on a thread of its own; counts the bytes acknowledged. */
    private static final class Load implements AutoCloseable {

        private final KafkaProducer<byte[], byte[]> producer;
        private final TopicPartition tp;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong acked = new AtomicLong();
        private final Thread thread;

        Load(KafkaProducer<byte[], byte[]> producer, TopicPartition tp) {
            this.producer = producer;
            this.tp = tp;
            this.thread = new Thread(this::run, "quota-load");
        }

        void start() {
            thread.start();
        }

        private void run() {
            try {
                while (running.get()) {
                    producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, VALUE), (metadata, e) -> {
                        if (e == null) {
                            acked.addAndGet(VALUE.length);
                        }
                    });
                }
            } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
                // closed under a blocked send: the load is over
            }
        }

        /** Bytes a second acknowledged over the next {@code period}. */
        double rateOver(Duration period) throws InterruptedException {
            long before = acked.get();
            long start = System.nanoTime();
            Thread.sleep(period.toMillis());
            return (acked.get() - before) / ((System.nanoTime() - start) / 1e9);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            producer.close(Duration.ZERO);
            thread.join(10_000);
        }
    }
}
