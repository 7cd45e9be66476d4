package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import io.tributary.common.testing.TestCertificates;
import io.tributary.it.cli.Cli;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.SecurityUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two broker processes with SASL_SSL listeners (SCRAM-SHA-512) and the authorizer on, deny by
 * default, and a group-coordinator whose listener requires the brokers' TLS client certificates:
 * a topic with two replicas and {@code min.insync.replicas=2} takes an {@code acks=all} write only
 * if the follower fetches from the leader, which it must do as a TLS and SCRAM client of the
 * leader's listener, with the super user's CLUSTER_ACTION; a consumer group's offsets are
 * committed and read back only if the brokers relay to the group-coordinator over mutual TLS. A
 * user without ACLs can neither describe a group nor use a transactional id; once granted WRITE
 * on the id and the topic, its transaction commits across the brokers (whose markers need the
 * inter-broker user's CLUSTER_ACTION) and a read_committed consumer sees it. The group-coordinator
 * checks the ACLs itself, as the principal the brokers forward: offsets of a topic the user may
 * not read are neither committed nor shown, DescribeGroups reports the user's operations, and a
 * client of its listener that is not a broker can neither forward nor commit.
 *
 * <p>Every HTTP endpoint serves HTTPS from an SSL bundle of the same CA, and metadata-service and
 * the group-coordinator want HTTP Basic logins: a topic is created only if the broker forwards
 * CreateTopics to metadata-service over TLS, logged in as the inter-broker user.
 */
class SecureClusterIT {

    private static final String PASSWORD = "admin-secret";
    /** The subject of the certificate the brokers present to the group-coordinator. */
    private static final String BROKER_CERTIFICATE = "CN=localhost";

    private static Path dir;
    private static TestCertificates ca;
    private static TributaryCluster cluster;

    @BeforeAll
    static void startCluster() throws IOException {
        dir = Files.createTempDirectory("secure-cluster");
        ca = TestCertificates.newCa(dir, "cluster-ca");
        Path keystore = ca.keystore("localhost");
        cluster = new TributaryCluster();
        cluster.trustHttps(ca.sslContext());
        List<String> https = httpsArgs(keystore);
        cluster.startMetadataService("metadata-1", args(https, HTTP_LOGINS));
        // only the brokers call it: mutual TLS with the cluster's CA
        cluster.startGroupCoordinator(
                "group-coordinator-1",
                args(
                        https,
                        HTTP_LOGINS,
                        "--tributary.group.security.protocol=SSL",
                        "--tributary.group.security.ssl.keystore-location=" + keystore,
                        "--tributary.group.security.ssl.keystore-password=" + TestCertificates.PASSWORD,
                        "--tributary.group.security.ssl.truststore-location=" + ca.truststore(),
                        "--tributary.group.security.ssl.truststore-password=" + TestCertificates.PASSWORD,
                        "--tributary.group.security.ssl.client-auth=required",
                        // it checks the ACLs again, as the client principal in the brokers' envelopes
                        "--tributary.group.security.authorizer.enabled=true",
                        "--tributary.group.security.authorizer.super-users=User:admin,User:" + BROKER_CERTIFICATE));
        cluster.startBrokers(
                2,
                args(
                        https,
                        List.of(),
                        "--tributary.broker.security.group-coordinator-protocol=SSL",
                        "--tributary.broker.security.protocol=SASL_SSL",
                        "--tributary.broker.security.ssl.keystore-location=" + keystore,
                        "--tributary.broker.security.ssl.keystore-password=" + TestCertificates.PASSWORD,
                        "--tributary.broker.security.ssl.truststore-location=" + ca.truststore(),
                        "--tributary.broker.security.ssl.truststore-password=" + TestCertificates.PASSWORD,
                        "--tributary.broker.security.sasl.enabled-mechanisms=SCRAM-SHA-512",
                        "--tributary.broker.security.sasl.inter-broker-user=admin",
                        "--tributary.broker.security.sasl.inter-broker-password=" + PASSWORD,
                        "--tributary.broker.security.authorizer.enabled=true",
                        "--tributary.broker.security.authorizer.super-users=User:admin",
                        // transactions V1 (the default is V2): its producer adds the partition with
                        // AddPartitionsToTxn v3 itself, which needs WRITE on the id and the topic
                        "--tributary.transaction.version=1"));
        cluster.awaitHealthy();
    }

    private static final List<String> HTTP_LOGINS =
            List.of("--tributary.http.security.enabled=true", "--tributary.http.security.super-users=User:admin");

    /** HTTPS on the service's port from a bundle of the cluster's CA, also trusted for calls to the others. */
    private static List<String> httpsArgs(Path keystore) {
        String bundle = "--spring.ssl.bundle.jks.http.";
        return List.of(
                bundle + "keystore.location=file:" + keystore,
                bundle + "keystore.password=" + TestCertificates.PASSWORD,
                bundle + "keystore.type=PKCS12",
                bundle + "key.alias=localhost",
                bundle + "truststore.location=file:" + ca.truststore(),
                bundle + "truststore.password=" + TestCertificates.PASSWORD,
                bundle + "truststore.type=PKCS12",
                "--server.ssl.bundle=http",
                "--tributary.http.client.ssl-bundle=http");
    }

    private static String[] args(List<String> https, List<String> logins, String... more) {
        List<String> all = new ArrayList<>(https);
        all.addAll(logins);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void shouldServeHttpsWithOpenHealthAndLoginsForTheApi() throws Exception {
        HttpClient trusting = HttpClient.newBuilder()
                .sslContext(ca.sslContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String metadata = cluster.metadataUrl();
        assertThat(metadata).startsWith("https://");
        for (String name : List.of("metadata-1", "group-coordinator-1", "broker-1")) {
            assertThat(status(trusting, cluster.service(name).baseUrl() + "/actuator/health/readiness", null))
                    .as(name + " readiness over TLS without a login")
                    .isEqualTo(200);
        }
        assertThat(status(trusting, metadata + "/api/topics", null)).isEqualTo(401);
        assertThat(status(trusting, metadata + "/api/topics", basic("admin", PASSWORD)))
                .isEqualTo(200);
        // the port speaks TLS only
        int plain = status(
                HttpClient.newHttpClient(),
                metadata.replace("https://", "http://") + "/actuator/health/readiness",
                null);
        assertThat(plain).isNotEqualTo(200);
        // a client that does not trust the CA gets no answer at all
        assertThat(status(HttpClient.newHttpClient(), metadata + "/actuator/health/readiness", null))
                .isEqualTo(-1);
    }

    @Test
    void shouldReportEveryServiceUpToTheCliOverHttpsWithTheLoginOfItsCommandConfig() throws Exception {
        Path commandConfig = dir.resolve("admin.properties");
        Properties properties = new Properties();
        configs().forEach((key, value) -> properties.setProperty(key, value.toString()));
        try (Writer out = Files.newBufferedWriter(commandConfig)) {
            properties.store(out, null);
        }
        Cli.Result result = Cli.runExactly(
                "",
                "cluster",
                "--bootstrap-server",
                cluster.bootstrapServers(),
                "--metadata-url",
                cluster.metadataUrl(),
                "--service",
                "group-coordinator=" + cluster.service("group-coordinator-1").baseUrl(),
                "--command-config",
                commandConfig.toString(),
                "--output",
                "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode services = result.json().path("services");
        assertThat(services.size()).isEqualTo(4);
        for (JsonNode service : services) {
            assertThat(service.path("http").asString()).startsWith("https://");
            assertThat(service.path("health").asString()).as(service.toString()).isEqualTo("UP");
        }
    }

    /** The status of a GET, or -1 when no answer came (refused TLS handshake, closed connection). */
    private static int status(HttpClient client, String url, String authorization) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldReplicateOverTlsWithScramBetweenBrokers() throws Exception {
        String topic = "secure-replicated";
        try (Admin admin = Admin.create(configs())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 2).configs(Map.of("min.insync.replicas", "2"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> producerConfigs = configs();
        producerConfigs.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfigs.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        producerConfigs.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfigs, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(60, TimeUnit.SECONDS);
            }
        }

        Map<String, Object> consumerConfigs = configs();
        consumerConfigs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfigs.put(ConsumerConfig.GROUP_ID_CONFIG, "secure-group");
        TopicPartition tp = new TopicPartition(topic, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerConfigs, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (values.size() < 20 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(20)), Duration.ofSeconds(30));
            assertThat(consumer.committed(Set.of(tp), Duration.ofSeconds(30))
                            .get(tp)
                            .offset())
                    .isEqualTo(20);
        }
        assertThat(values).hasSize(20).startsWith("v0").endsWith("v19");
    }

    @Test
    void shouldRefuseGroupsAndTransactionsToAUserWithoutAclsUntilGranted() throws Exception {
        String topic = "secure-transactions";
        try (Admin admin = Admin.create(configs())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 2))).all().get(30, TimeUnit.SECONDS);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            "bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "bob-secret")))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            // both brokers' credential caches see the new user a moment later
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                try (Admin bob = Admin.create(configs("bob", "bob-secret"))) {
                    bob.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                    return true;
                }
            });
            try (Admin bob = Admin.create(configs("bob", "bob-secret"))) {
                assertThatThrownBy(() -> bob.describeConsumerGroups(List.of("secure-group"))
                                .all()
                                .get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(GroupAuthorizationException.class);
            }
            assertThatThrownBy(() -> commitOne("bob", "bob-secret", topic, "refused"))
                    .isInstanceOf(TransactionalIdAuthorizationException.class);

            admin.createAcls(List.of(
                            allow(ResourceType.TRANSACTIONAL_ID, "bob-txn", AclOperation.WRITE),
                            allow(ResourceType.TOPIC, topic, AclOperation.WRITE),
                            allow(ResourceType.TOPIC, topic, AclOperation.READ),
                            allow(ResourceType.GROUP, "bob-group", AclOperation.READ)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            commitOne("bob", "bob-secret", topic, "committed");
            return true;
        });

        Map<String, Object> consumerConfigs = configs("bob", "bob-secret");
        consumerConfigs.put(ConsumerConfig.GROUP_ID_CONFIG, "bob-group");
        consumerConfigs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfigs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerConfigs, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!values.contains("committed") && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
            assertThat(values).contains("committed").doesNotContain("refused");
        }
    }

    @Test
    void shouldCheckTopicsAndReportOperationsOnTheGroupCoordinatorForTheForwardedUser() throws Exception {
        String readable = "carol-readable";
        String hidden = "carol-hidden";
        String group = "carol-group";
        try (Admin admin = Admin.create(configs())) {
            admin.createTopics(List.of(new NewTopic(readable, 1, (short) 2), new NewTopic(hidden, 1, (short) 2)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            "carol", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "carol-secret")))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(
                            allow("User:carol", ResourceType.GROUP, group, AclOperation.READ),
                            allow("User:carol", ResourceType.TOPIC, readable, AclOperation.READ)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            // the super user commits both, through the same group-coordinator checks
            admin.alterConsumerGroupOffsets(
                            group,
                            Map.of(
                                    new TopicPartition(readable, 0), new OffsetAndMetadata(5),
                                    new TopicPartition(hidden, 0), new OffsetAndMetadata(6)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> carol = configs("carol", "carol-secret");
        // the brokers' and the coordinator's caches see the new user and ACLs a moment later
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (Admin admin = Admin.create(carol)) {
                return admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS)
                        .containsKey(new TopicPartition(readable, 0));
            }
        });
        try (Admin admin = Admin.create(carol)) {
            assertThat(admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS))
                    .containsOnlyKeys(new TopicPartition(readable, 0));
            ConsumerGroupDescription described = admin.describeConsumerGroups(
                            List.of(group), new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                    .describedGroups()
                    .get(group)
                    .get(10, TimeUnit.SECONDS);
            assertThat(described.authorizedOperations())
                    .containsExactlyInAnyOrder(AclOperation.READ, AclOperation.DESCRIBE);
        }

        Map<String, Object> consumerConfigs = new HashMap<>(carol);
        consumerConfigs.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumerConfigs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerConfigs, new StringDeserializer(), new StringDeserializer())) {
            assertThatThrownBy(() -> consumer.commitSync(
                            Map.of(
                                    new TopicPartition(readable, 0), new OffsetAndMetadata(8),
                                    new TopicPartition(hidden, 0), new OffsetAndMetadata(9)),
                            Duration.ofSeconds(30)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        try (Admin admin = Admin.create(configs())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            // the readable topic's offset was committed, the other's left as it was
            assertThat(offsets.get(new TopicPartition(readable, 0)).offset()).isEqualTo(8);
            assertThat(offsets.get(new TopicPartition(hidden, 0)).offset()).isEqualTo(6);
        }
    }

    @Test
    void shouldRefuseAClientOfTheGroupCoordinatorThatIsNotABroker() throws Exception {
        Map<String, Object> tls = new HashMap<>();
        tls.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        tls.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, ca.keystore("intruder").toString());
        tls.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        tls.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ca.truststore().toString());
        tls.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        Node coordinator =
                new Node(1, "localhost", cluster.service("group-coordinator-1").kafkaPort());
        OffsetCommitRequest commit = OffsetCommitRequest.Builder.forTopicNames(new OffsetCommitRequestData()
                        .setGroupId("secure-group")
                        .setMemberId("")
                        .setGenerationIdOrMemberEpoch(-1)
                        .setTopics(List.of(new OffsetCommitRequestTopic()
                                .setName("secure-replicated")
                                .setPartitions(List.of(new OffsetCommitRequestPartition()
                                        .setPartitionIndex(0)
                                        .setCommittedOffset(0))))))
                .build((short) 9);
        try (KafkaProtocolClient intruder = new KafkaProtocolClient("intruder", Duration.ofSeconds(20), tls)) {
            // directly, as its own certificate's principal, which has no ACL
            OffsetCommitResponse direct = (OffsetCommitResponse)
                    intruder.send(coordinator, OffsetCommitRequest.Builder.forTopicNames(commit.data()))
                            .get(30, TimeUnit.SECONDS);
            assertThat(direct.errorCounts()).containsOnlyKeys(Errors.GROUP_AUTHORIZATION_FAILED);

            // in an envelope naming the super user: only a broker (CLUSTER_ACTION) may forward
            DecodedRequest forged = new DecodedRequest(
                    new RequestHeader(ApiKeys.OFFSET_COMMIT, commit.version(), "forged", 3),
                    ApiKeys.OFFSET_COMMIT,
                    commit.version(),
                    commit,
                    "forged",
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    "intruder-connection",
                    0,
                    SecurityUtils.parseKafkaPrincipal("User:admin"));
            assertThatThrownBy(
                            () -> intruder.relayInEnvelope(coordinator, forged).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
        }
    }

    /** One record in a committed transaction of {@code bob-txn}; throws what the producer throws. */
    private static void commitOne(String user, String password, String topic, String value) throws Exception {
        Map<String, Object> configs = configs(user, password);
        configs.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bob-txn");
        configs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(configs, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
            producer.commitTransaction();
        }
    }

    private static AclBinding allow(ResourceType type, String name, AclOperation operation) {
        return allow("User:bob", type, name, operation);
    }

    private static AclBinding allow(String principal, ResourceType type, String name, AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private static Map<String, Object> configs() {
        return configs("admin", PASSWORD);
    }

    private static Map<String, Object> configs(String user, String password) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        configs.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        configs.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        configs.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ca.truststore().toString());
        configs.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        configs.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        configs.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
        return configs;
    }
}
