package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.partition.ReplicaManager;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import io.tributary.common.testing.ZookeeperExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A broker with a SASL_PLAINTEXT listener and the ACL authorizer on (deny by default), driven
 * by the real AdminClient, producer and consumer: a user without ACLs can do nothing, with the
 * right error codes; ACLs created and deleted through the AdminClient take effect within
 * seconds; a DENY beats an ALLOW; the super user can do everything; transactions need WRITE on
 * the transactional id and the topic; Metadata and DescribeCluster report the principal's
 * authorized operations when asked; the leaders' transaction verification (AddPartitionsToTxn
 * v4+) needs CLUSTER_ACTION.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tributary.broker.id=6",
            "tributary.broker.kafka-port=0",
            "spring.cloud.zookeeper.max-retries=1",
            "tributary.broker.security.protocol=SASL_PLAINTEXT",
            "tributary.broker.security.sasl.enabled-mechanisms=SCRAM-SHA-512",
            "tributary.broker.security.sasl.inter-broker-user=admin",
            "tributary.broker.security.sasl.inter-broker-password=admin-secret",
            "tributary.broker.security.authorizer.enabled=true",
            "tributary.broker.security.authorizer.super-users=User:admin"
        })
@DirtiesContext
class AclAuthorizationIT {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    private static final String TOPIC = "orders-eu";
    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tributary.zookeeper.connect", ZOOKEEPER::connectString);
        registry.add("tributary.broker.log-dirs", () -> {
            try {
                return Files.createTempDirectory("acl-it").toString();
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

    private TopicPartition tp;

    @BeforeEach
    void userAndTopic() throws Exception {
        try (Admin admin = admin("admin", "admin-secret")) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            "alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "alice-secret")))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            // logins are checked against the broker's ZooKeeper cache, which sees the write a moment later
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> !admin.describeUserScramCredentials(List.of("alice"))
                            .description("alice")
                            .get(10, TimeUnit.SECONDS)
                            .credentialInfos()
                            .isEmpty());
            admin.deleteAcls(List.of(AclBindingFilter.ANY)).all().get(10, TimeUnit.SECONDS);
        }
        tp = SecureTestSupport.createLocalTopic(curator, replicaManager, TOPIC, 6);
    }

    @Test
    void shouldRefuseEverythingToAUserWithoutAcls() throws Exception {
        try (Admin alice = admin("alice", "alice-secret")) {
            assertThat(alice.listTopics().names().get(10, TimeUnit.SECONDS)).doesNotContain(TOPIC);
            assertThatThrownBy(() ->
                            alice.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            ConfigResource topicConfigs = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            assertThatThrownBy(() ->
                            alice.describeConfigs(List.of(topicConfigs)).all().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> alice.incrementalAlterConfigs(Map.of(
                                    topicConfigs,
                                    List.of(new AlterConfigOp(
                                            new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET))))
                            .all()
                            .get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() ->
                            alice.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() ->
                            alice.createAcls(List.of(readAcl("alice"))).all().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
        }
        assertThatThrownBy(() -> produce("alice", "alice-secret", "refused"))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> consume("alice", "alice-secret")).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void shouldApplyGrantsAndRevokesWithinSeconds() throws Exception {
        try (Admin admin = admin("admin", "admin-secret")) {
            admin.createAcls(List.of(
                            new AclBinding(
                                    new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.PREFIXED),
                                    new AccessControlEntry(
                                            "User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW)),
                            readAcl("alice")))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            assertThat(admin.describeAcls(new AclBindingFilter(
                                    new ResourcePatternFilter(ResourceType.TOPIC, TOPIC, PatternType.MATCH),
                                    AccessControlEntryFilter.ANY))
                            .values()
                            .get(10, TimeUnit.SECONDS))
                    .hasSize(2);

            await().atMost(PROPAGATION).ignoreExceptions().until(() -> {
                produce("alice", "alice-secret", "granted");
                return true;
            });
            assertThat(consume("alice", "alice-secret")).contains("granted");

            admin.deleteAcls(List.of(new AclBindingFilter(
                            new ResourcePatternFilter(ResourceType.TOPIC, "orders", PatternType.PREFIXED),
                            AccessControlEntryFilter.ANY)))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            await().atMost(PROPAGATION).until(() -> {
                try {
                    produce("alice", "alice-secret", "revoked?");
                    return false;
                } catch (ExecutionException e) {
                    return e.getCause() instanceof TopicAuthorizationException;
                }
            });
        }
    }

    @Test
    void shouldLetADenyWinOverAnAllow() throws Exception {
        try (Admin admin = admin("admin", "admin-secret")) {
            admin.createAcls(List.of(
                            new AclBinding(
                                    new ResourcePattern(ResourceType.TOPIC, "*", PatternType.LITERAL),
                                    new AccessControlEntry(
                                            "User:alice", "*", AclOperation.ALL, AclPermissionType.ALLOW)),
                            new AclBinding(
                                    new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                                    new AccessControlEntry("User:*", "*", AclOperation.WRITE, AclPermissionType.DENY))))
                    .all()
                    .get(10, TimeUnit.SECONDS);
        }
        await().atMost(PROPAGATION)
                .ignoreExceptions()
                .until(() -> !consume("alice", "alice-secret").contains("never"));
        assertThatThrownBy(() -> produce("alice", "alice-secret", "denied"))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void shouldLetTheSuperUserDoEverything() throws Exception {
        produce("admin", "admin-secret", "from the super user");
        assertThat(consume("admin", "admin-secret")).contains("from the super user");
        try (Admin admin = admin("admin", "admin-secret")) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(TOPIC);
        }
    }

    @Test
    void shouldRefuseTransactionsAndGroupsToAUserWithoutAclsUntilGranted() throws Exception {
        // the transaction coordinator's log, led here (no metadata-service to create it)
        SecureTestSupport.createLocalTopic(curator, replicaManager, "__transaction_state", 6);
        try (Admin alice = admin("alice", "alice-secret")) {
            assertThatThrownBy(() -> alice.describeConsumerGroups(List.of("billing"))
                            .all()
                            .get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(GroupAuthorizationException.class);
        }
        assertThatThrownBy(() -> produceTransactionally("alice", "alice-secret", "refused"))
                .isInstanceOf(TransactionalIdAuthorizationException.class);

        try (Admin admin = admin("admin", "admin-secret")) {
            admin.createAcls(List.of(new AclBinding(
                            new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "orders-", PatternType.PREFIXED),
                            new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            // the id alone is not enough: AddPartitionsToTxn needs WRITE on the topic too
            await().atMost(PROPAGATION)
                    .until(() -> refusedFor(TopicAuthorizationException.class, () -> {
                        produceTransactionally("alice", "alice-secret", "topic refused");
                    }));
            admin.createAcls(List.of(new AclBinding(
                            new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                            new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                    .all()
                    .get(10, TimeUnit.SECONDS);
        }
        await().atMost(PROPAGATION).ignoreExceptions().until(() -> {
            produceTransactionally("alice", "alice-secret", "committed");
            return true;
        });
        // read_committed sees it only once the broker's own marker request (CLUSTER_ACTION) went through
        assertThat(consume("admin", "admin-secret", "read_committed")).contains("committed");
    }

    @Test
    void shouldReportTheOperationsAPrincipalMayDoOnTopicsAndTheCluster() throws Exception {
        try (Admin admin = admin("admin", "admin-secret")) {
            admin.createAcls(List.of(readAcl("alice"))).all().get(10, TimeUnit.SECONDS);
            // the super user may do everything Kafka lists for the cluster
            assertThat(admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true))
                            .authorizedOperations()
                            .get(10, TimeUnit.SECONDS))
                    .containsExactlyInAnyOrder(
                            AclOperation.CREATE,
                            AclOperation.CLUSTER_ACTION,
                            AclOperation.DESCRIBE_CONFIGS,
                            AclOperation.ALTER_CONFIGS,
                            AclOperation.IDEMPOTENT_WRITE,
                            AclOperation.ALTER,
                            AclOperation.DESCRIBE);
        }
        try (Admin alice = admin("alice", "alice-secret")) {
            DescribeTopicsOptions withOperations = new DescribeTopicsOptions().includeAuthorizedOperations(true);
            // READ implies DESCRIBE; nothing else is granted
            await().atMost(PROPAGATION)
                    .ignoreExceptions()
                    .until(() -> Set.of(AclOperation.READ, AclOperation.DESCRIBE)
                            .equals(alice.describeTopics(List.of(TOPIC), withOperations)
                                    .allTopicNames()
                                    .get(10, TimeUnit.SECONDS)
                                    .get(TOPIC)
                                    .authorizedOperations()));
            assertThat(alice.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true))
                            .authorizedOperations()
                            .get(10, TimeUnit.SECONDS))
                    .isEmpty();
            // not asked, not computed
            assertThat(alice.describeCluster().authorizedOperations().get(10, TimeUnit.SECONDS))
                    .isNull();
        }
    }

    @Test
    void shouldVerifyPartitionsForBrokersWithClusterActionAndRefuseOtherPrincipals() throws Exception {
        SecureTestSupport.createLocalTopic(curator, replicaManager, "__transaction_state", 6);

        AddPartitionsToTxnResponse refused = verifyOnly("alice", "alice-secret");
        AddPartitionsToTxnResponse answered = verifyOnly("admin", "admin-secret");

        assertThat(Errors.forCode(refused.data().errorCode())).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);
        assertThat(Errors.forCode(answered.data().errorCode())).isEqualTo(Errors.NONE);
        assertThat(answered.errors().get("unknown-txn")).containsEntry(tp, Errors.INVALID_PRODUCER_ID_MAPPING);
    }

    @Test
    void shouldLetOnlyPrincipalsWithConfigRightsOnTheClusterAlterAndDescribeClientQuotas() throws Exception {
        org.apache.kafka.common.quota.ClientQuotaEntity entity =
                new org.apache.kafka.common.quota.ClientQuotaEntity(Map.of("user", "alice"));
        List<org.apache.kafka.common.quota.ClientQuotaAlteration> alteration =
                List.of(new org.apache.kafka.common.quota.ClientQuotaAlteration(
                        entity,
                        List.of(new org.apache.kafka.common.quota.ClientQuotaAlteration.Op(
                                "producer_byte_rate", 1024.0))));
        org.apache.kafka.common.quota.ClientQuotaFilter all = org.apache.kafka.common.quota.ClientQuotaFilter.all();
        try (Admin alice = admin("alice", "alice-secret")) {
            assertThatThrownBy(() -> alice.alterClientQuotas(alteration).all().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> alice.describeClientQuotas(all).entities().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
        }
        try (Admin admin = admin("admin", "admin-secret")) {
            admin.alterClientQuotas(alteration).all().get(10, TimeUnit.SECONDS);
            assertThat(admin.describeClientQuotas(all).entities().get(10, TimeUnit.SECONDS))
                    .containsEntry(entity, Map.of("producer_byte_rate", 1024.0));
            admin.alterClientQuotas(List.of(new org.apache.kafka.common.quota.ClientQuotaAlteration(
                            entity,
                            List.of(new org.apache.kafka.common.quota.ClientQuotaAlteration.Op(
                                    "producer_byte_rate", null)))))
                    .all()
                    .get(10, TimeUnit.SECONDS);
        }
    }

    /** AddPartitionsToTxn v4+ as a partition leader sends it: is {@code tp} in the transaction of {@code unknown-txn}? */
    private AddPartitionsToTxnResponse verifyOnly(String user, String password) throws Exception {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(tp.topic()).setPartitions(List.of(tp.partition())));
        AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnTransactionCollection();
        transactions.add(new AddPartitionsToTxnTransaction()
                .setTransactionalId("unknown-txn")
                .setProducerId(4242)
                .setProducerEpoch((short) 0)
                .setVerifyOnly(true)
                .setTopics(topics));
        try (KafkaProtocolClient client =
                new KafkaProtocolClient(user + "-as-broker", Duration.ofSeconds(10), configs(user, password))) {
            return (AddPartitionsToTxnResponse) client.send(
                            new Node(6, "localhost", kafkaServer.port()),
                            AddPartitionsToTxnRequest.Builder.forBroker(transactions))
                    .get(15, TimeUnit.SECONDS);
        }
    }

    private static AclBinding readAcl(String user) {
        return new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                new AccessControlEntry("User:" + user, "*", AclOperation.READ, AclPermissionType.ALLOW));
    }

    private Map<String, Object> configs(String user, String password) {
        return SecureTestSupport.saslClient(kafkaServer.port(), "SASL_PLAINTEXT", "SCRAM-SHA-512", user, password);
    }

    private Admin admin(String user, String password) {
        return Admin.create(configs(user, password));
    }

    private void produce(String user, String password, String value) throws Exception {
        Map<String, Object> configs = configs(user, password);
        configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        configs.put(ProducerConfig.ACKS_CONFIG, "1");
        configs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(configs, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, 0, null, value)).get(10, TimeUnit.SECONDS);
        }
    }

    /** One record in a committed transaction of {@code orders-txn} (throws what the producer throws). */
    private void produceTransactionally(String user, String password, String value) throws Exception {
        Map<String, Object> configs = configs(user, password);
        configs.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "orders-txn");
        configs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(configs, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, 0, null, value)).get(10, TimeUnit.SECONDS);
            producer.commitTransaction();
        }
    }

    /** Whether {@code action} fails with {@code refusal} somewhere in its chain of causes. */
    private static boolean refusedFor(Class<? extends Throwable> refusal, ThrowingRunnable action) {
        try {
            action.run();
            return false;
        } catch (Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (refusal.isInstance(cause)) {
                    return true;
                }
            }
            return false;
        }
    }

    private List<String> consume(String user, String password) {
        return consume(user, password, "read_uncommitted");
    }

    /** What the user reads from the start within a few seconds (throws what the consumer throws). */
    private List<String> consume(String user, String password, String isolationLevel) {
        Map<String, Object> configs = configs(user, password);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(configs, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
