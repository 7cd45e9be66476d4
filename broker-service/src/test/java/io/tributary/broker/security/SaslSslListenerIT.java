package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.partition.ReplicaManager;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.testing.TestCertificates;
import io.tributary.common.testing.ZookeeperExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A broker with a SASL_SSL listener (certificates made by keytool, SCRAM credentials in a real
 * ZooKeeper) served to the real producer, consumer and AdminClient: a user created through
 * {@code Admin.alterUserScramCredentials} produces and consumes with SCRAM-SHA-512 and logs in
 * with PLAIN against the same credential; a wrong password, no credentials and a client that
 * trusts another CA are refused. Sessions last 3 s ({@code connections.max.reauth.ms}): clients
 * re-authenticate on their connections (KIP-368) and stop at a deleted credential.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tributary.broker.id=5",
            "tributary.broker.kafka-port=0",
            "spring.cloud.zookeeper.max-retries=1",
            "tributary.broker.security.protocol=SASL_SSL",
            "tributary.broker.security.sasl.enabled-mechanisms=SCRAM-SHA-512,PLAIN",
            "tributary.broker.security.sasl.inter-broker-user=admin",
            "tributary.broker.security.sasl.inter-broker-password=admin-secret",
            "tributary.broker.security.sasl.connections-max-reauth=3s"
        })
@DirtiesContext
class SaslSslListenerIT {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    private static final Path DIR = tempDir();
    private static final TestCertificates CA = TestCertificates.newCa(DIR, "cluster-ca");
    private static final Path KEYSTORE = CA.keystore("localhost");
    private static final String TOPIC = "secured";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tributary.zookeeper.connect", ZOOKEEPER::connectString);
        registry.add("tributary.broker.log-dirs", () -> DIR.resolve("logs").toString());
        registry.add("tributary.broker.security.ssl.keystore-location", KEYSTORE::toString);
        registry.add("tributary.broker.security.ssl.keystore-password", () -> TestCertificates.PASSWORD);
        registry.add(
                "tributary.broker.security.ssl.truststore-location",
                () -> CA.truststore().toString());
        registry.add("tributary.broker.security.ssl.truststore-password", () -> TestCertificates.PASSWORD);
    }

    @Autowired
    KafkaProtocolServer kafkaServer;

    @Autowired
    CuratorFramework curator;

    @Autowired
    ReplicaManager replicaManager;

    @Test
    void shouldServeAUserCreatedThroughTheAdminClientWithScramAndPlain() throws Exception {
        try (Admin admin = Admin.create(clientConfigs(CA, "SCRAM-SHA-512", "admin", "admin-secret"))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            "alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "alice-secret")))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            // the broker answers Describe from its ZooKeeper cache, which sees the write a moment
            // later (as a Kafka broker's metadata cache does)
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(admin.describeUserScramCredentials(List.of("alice"))
                                    .description("alice")
                                    .get(10, TimeUnit.SECONDS)
                                    .credentialInfos())
                            .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192)));
        }
        TopicPartition tp = createTopic();

        Map<String, Object> alice = clientConfigs(CA, "SCRAM-SHA-512", "alice", "alice-secret");
        try (KafkaProducer<String, String> producer = producer(alice)) {
            producer.send(new ProducerRecord<>(TOPIC, 0, null, "over TLS")).get(10, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = consumer(clientConfigs(CA, "PLAIN", "alice", "alice-secret"))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> values = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            assertThat(values).containsExactly("over TLS");
        }
    }

    @Test
    void shouldRefuseAWrongPassword() {
        try (Admin admin = Admin.create(clientConfigs(CA, "SCRAM-SHA-512", "admin", "not-the-password"))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void shouldRefuseAClientWithoutCredentials() {
        Map<String, Object> configs = clientConfigs(CA, "SCRAM-SHA-512", "admin", "admin-secret");
        configs.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        try (Admin admin = Admin.create(configs)) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void shouldRefuseAClientThatTrustsAnotherCa() {
        TestCertificates foreign = TestCertificates.newCa(DIR, "foreign-ca");
        try (Admin admin = Admin.create(clientConfigs(foreign, "SCRAM-SHA-512", "admin", "admin-secret"))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void shouldReauthenticateAcrossSessionsAndStopAtADeletedCredential() throws Exception {
        try (Admin admin = Admin.create(clientConfigs(CA, "SCRAM-SHA-512", "admin", "admin-secret"))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            "carol", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "carol-secret")))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> !admin.describeUserScramCredentials(List.of("carol"))
                            .description("carol")
                            .get(10, TimeUnit.SECONDS)
                            .credentialInfos()
                            .isEmpty());
            SecureTestSupport.createLocalTopic(curator, replicaManager, "sessions", 5);
            KafkaProducer<String, String> producer =
                    producer(clientConfigs(CA, "SCRAM-SHA-512", "carol", "carol-secret"));
            try {
                // ~8 s of sends over 3 s sessions: the client re-authenticates at 85-95% of each
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
                while (System.nanoTime() < deadline) {
                    producer.send(new ProducerRecord<>("sessions", 0, null, "in session"))
                            .get(10, TimeUnit.SECONDS);
                    Thread.sleep(250);
                }
                assertThat(metric(producer, "successful-reauthentication-total"))
                        .isGreaterThanOrEqualTo(2);
                assertThat(metric(producer, "failed-reauthentication-total")).isZero();

                admin.alterUserScramCredentials(
                                List.of(new UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_512)))
                        .all()
                        .get(10, TimeUnit.SECONDS);
                // still sending, so the connection stays in session until its next re-authentication,
                // which the deleted credential fails: the broker answers and closes, the client stops
                await().atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> refused(producer));
                assertThat(metric(producer, "failed-reauthentication-total")).isGreaterThanOrEqualTo(1);
            } finally {
                producer.close(Duration.ZERO); // its unsendable records need no waiting for
            }
        }
    }

    /** Whether a send fails with SaslAuthenticationException (false while it is still pending). */
    private static boolean refused(KafkaProducer<String, String> producer) {
        try {
            producer.send(new ProducerRecord<>("sessions", 0, null, "revoked?")).get(1, TimeUnit.SECONDS);
            return false;
        } catch (TimeoutException stillPending) {
            return false;
        } catch (Exception e) {
            return e instanceof SaslAuthenticationException || e.getCause() instanceof SaslAuthenticationException;
        }
    }

    private static double metric(KafkaProducer<?, ?> producer, String name) {
        return producer.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().name().equals(name))
                .mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue())
                .sum();
    }

    private TopicPartition createTopic() throws Exception {
        return SecureTestSupport.createLocalTopic(curator, replicaManager, TOPIC, 5);
    }

    private Map<String, Object> clientConfigs(
            TestCertificates trusted, String mechanism, String user, String password) {
        Map<String, Object> configs =
                SecureTestSupport.saslClient(kafkaServer.port(), "SASL_SSL", mechanism, user, password);
        configs.put(
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trusted.truststore().toString());
        configs.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        return configs;
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> security) {
        Map<String, Object> configs = new HashMap<>(security);
        configs.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return new KafkaProducer<>(configs, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(Map<String, Object> security) {
        Map<String, Object> configs = new HashMap<>(security);
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        return new KafkaConsumer<>(configs, new StringDeserializer(), new StringDeserializer());
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("sasl-ssl-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
