package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 4, admin side, end to end: the unmodified Kafka {@link Admin} client against three broker
 * processes and a metadata-service on a real ZooKeeper. One cluster for the whole class; each
 * test works on topics of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminClientIT {

    private static final Duration PROPAGATION = Duration.ofSeconds(30);

    private static TributaryCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startCluster() {
        cluster = SharedCluster.get();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        admin = Admin.create(props);
    }

    @AfterAll
    static void closeAdmin() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldCreateTopicsThatListDescribeAndShowInTheCluster() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(
                new NewTopic("admin-orders", 3, (short) 3),
                new NewTopic("admin-small", 1, (short) 1).configs(Map.of("retention.ms", "3600000"))));
        created.all().get();

        assertThat(created.numPartitions("admin-orders").get()).isEqualTo(3);
        assertThat(created.replicationFactor("admin-orders").get()).isEqualTo(3);
        assertThat(created.topicId("admin-orders").get()).isNotEqualTo(Uuid.ZERO_UUID);
        Config smallConfig = created.config("admin-small").get();
        assertThat(smallConfig.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(smallConfig.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(smallConfig.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        await().atMost(PROPAGATION)
                .until(
                        () -> admin.listTopics().names().get(),
                        names -> names.containsAll(Set.of("admin-orders", "admin-small")));
        TopicDescription orders = awaitLeaders("admin-orders", 3);
        assertThat(orders.topicId()).isEqualTo(created.topicId("admin-orders").get());
        for (TopicPartitionInfo partition : orders.partitions()) {
            assertThat(partition.replicas()).hasSize(3);
            assertThat(partition.isr()).isNotEmpty();
            assertThat(partition.replicas()).contains(partition.leader());
        }
        assertThat(orders.partitions().stream().map(p -> p.leader().id()).distinct())
                .hasSizeGreaterThan(1);

        DescribeClusterResult clusterInfo = admin.describeCluster();
        Collection<Node> nodes = clusterInfo.nodes().get();
        assertThat(nodes).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(clusterInfo.controller().get())
                .isNotNull()
                .extracting(Node::id)
                .isEqualTo(1);
        assertThat(clusterInfo.clusterId().get()).isNotBlank();
    }

    @Test
    void shouldRefuseExistingTopicsBadReplicationFactorsNamesAndConfigs() throws Exception {
        admin.createTopics(List.of(new NewTopic("admin-taken", 1, (short) 1)))
                .all()
                .get();

        assertThat(failureOf(admin.createTopics(List.of(new NewTopic("admin-taken", 1, (short) 1)))
                        .all()))
                .isInstanceOf(TopicExistsException.class);
        assertThat(failureOf(admin.createTopics(List.of(new NewTopic("admin-rf4", 1, (short) 4)))
                        .all()))
                .isInstanceOf(InvalidReplicationFactorException.class);
        assertThat(failureOf(admin.createTopics(List.of(new NewTopic("bad name!", 1, (short) 1)))
                        .all()))
                .isInstanceOf(InvalidTopicException.class);
        assertThat(failureOf(admin.createTopics(List.of(
                                new NewTopic("admin-badconfig", 1, (short) 1).configs(Map.of("retention.ms", "soon"))))
                        .all()))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThat(failureOf(admin.createTopics(List.of(new NewTopic("admin-zero", 0, (short) 1)))
                        .all()))
                .isInstanceOf(InvalidPartitionsException.class);

        CreateTopicsResult validated = admin.createTopics(
                List.of(new NewTopic("admin-validated", 2, (short) 2)), new CreateTopicsOptions().validateOnly(true));
        validated.all().get();
        assertThat(validated.numPartitions("admin-validated").get()).isEqualTo(2);
        assertThat(admin.listTopics().names().get()).doesNotContain("admin-validated", "admin-rf4", "bad name!");
    }

    @Test
    void shouldCreateTopicsWithDefaultsAndExplicitAssignments() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(
                new NewTopic("admin-defaults", Optional.empty(), Optional.empty()),
                new NewTopic("admin-assigned", Map.of(0, List.of(3, 1), 1, List.of(2, 3)))));
        created.all().get();

        assertThat(created.numPartitions("admin-defaults").get()).isPositive();
        assertThat(created.replicationFactor("admin-defaults").get()).isPositive();
        TopicDescription assigned = awaitLeaders("admin-assigned", 2);
        assertThat(assigned.partitions().get(0).replicas()).extracting(Node::id).containsExactly(3, 1);
        assertThat(assigned.partitions().get(1).replicas()).extracting(Node::id).containsExactly(2, 3);
    }

    @Test
    void shouldAddPartitions() throws Exception {
        admin.createTopics(List.of(new NewTopic("admin-grow", 1, (short) 2)))
                .all()
                .get();
        awaitLeaders("admin-grow", 1);

        admin.createPartitions(Map.of("admin-grow", NewPartitions.increaseTo(4)))
                .all()
                .get();

        TopicDescription grown = awaitLeaders("admin-grow", 4);
        assertThat(grown.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(2));
        assertThat(failureOf(admin.createPartitions(Map.of("admin-grow", NewPartitions.increaseTo(2)))
                        .all()))
                .isInstanceOf(InvalidPartitionsException.class);
        assertThat(failureOf(admin.createPartitions(Map.of("admin-nowhere", NewPartitions.increaseTo(2)))
                        .all()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void shouldDescribeAndAlterTopicConfigs() throws Exception {
        admin.createTopics(
                        List.of(new NewTopic("admin-configs", 1, (short) 1).configs(Map.of("retention.ms", "7200000"))))
                .all()
                .get();
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "admin-configs");

        Config before = admin.describeConfigs(List.of(topic)).all().get().get(topic);
        assertThat(before.get("retention.ms").value()).isEqualTo("7200000");
        assertThat(before.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(before.get("segment.bytes").value()).isEqualTo("1073741824");
        assertThat(before.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(before.get("cleanup.policy").type()).isEqualTo(ConfigEntry.ConfigType.LIST);

        admin.incrementalAlterConfigs(Map.of(
                        topic,
                        List.of(
                                new AlterConfigOp(
                                        new ConfigEntry("segment.bytes", "1048576"), AlterConfigOp.OpType.SET),
                                new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE))))
                .all()
                .get();

        Config after = admin.describeConfigs(List.of(topic)).all().get().get(topic);
        assertThat(after.get("segment.bytes").value()).isEqualTo("1048576");
        assertThat(after.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(after.get("retention.ms").value()).isEqualTo("604800000");
        assertThat(after.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        assertThat(failureOf(admin.incrementalAlterConfigs(Map.of(
                                topic,
                                List.of(new AlterConfigOp(
                                        new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.APPEND))))
                        .all()))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(failureOf(admin.incrementalAlterConfigs(Map.of(
                                topic,
                                List.of(new AlterConfigOp(
                                        new ConfigEntry("segment.bytes", "tiny"), AlterConfigOp.OpType.SET))))
                        .all()))
                .isInstanceOf(InvalidConfigurationException.class);
        ConfigResource missing = new ConfigResource(ConfigResource.Type.TOPIC, "admin-no-such-topic");
        assertThat(failureOf(admin.describeConfigs(List.of(missing)).all()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void shouldDescribeBrokerConfigs() throws Exception {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "2");

        Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);

        assertThat(config.get("broker.id").value()).isEqualTo("2");
        assertThat(config.get("log.dirs").value())
                .isEqualTo(cluster.dataDir().resolve("broker-2").toString());
        assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
        assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
        assertThat(config.get("broker.id").isReadOnly()).isTrue();
        assertThat(config.get("broker.id").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
    }

    @Test
    void shouldDeleteRecordsAndMoveTheBeginningOffset() throws Exception {
        admin.createTopics(List.of(new NewTopic("admin-records", 1, (short) 1)))
                .all()
                .get();
        awaitLeaders("admin-records", 1);
        TopicPartition tp = new TopicPartition("admin-records", 0);
        produce("admin-records", 100);

        long lowWatermark = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(40)))
                .lowWatermarks()
                .get(tp)
                .get()
                .lowWatermark();

        assertThat(lowWatermark).isEqualTo(40);
        try (KafkaConsumer<String, String> consumer = consumer()) {
            assertThat(consumer.beginningOffsets(List.of(tp))).containsEntry(tp, 40L);
            assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 100L);
        }
        assertThat(failureOf(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(101)))
                        .all()))
                .isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1)))
                        .lowWatermarks()
                        .get(tp)
                        .get()
                        .lowWatermark())
                .isEqualTo(100);
    }

    @Test
    void shouldValidateASeekWithLeaderEpochThroughOffsetsForLeaderEpoch() throws Exception {
        admin.createTopics(List.of(new NewTopic("admin-epochs", 1, (short) 1)))
                .all()
                .get();
        awaitLeaders("admin-epochs", 1);
        TopicPartition tp = new TopicPartition("admin-epochs", 0);
        produce("admin-epochs", 100);

        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(List.of(tp));
            // a position carrying a leader epoch is validated (OffsetsForLeaderEpoch) before fetching;
            // a wrong answer would reset it (auto.offset.reset=none: throw) instead of reading offset 50
            consumer.seek(tp, new OffsetAndMetadata(50, Optional.of(0), ""));
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                records.forEach(read::add);
            }
            assertThat(read).isNotEmpty();
            assertThat(read.get(0).offset()).isEqualTo(50);
        }
    }

    @Test
    void shouldDeleteTopicsByNameAndByIdAndRemoveTheirLogs() throws Exception {
        CreateTopicsResult created = admin.createTopics(
                List.of(new NewTopic("admin-doomed", 2, (short) 3), new NewTopic("admin-doomed-by-id", 1, (short) 3)));
        created.all().get();
        Uuid byId = created.topicId("admin-doomed-by-id").get();
        awaitLeaders("admin-doomed", 2);
        awaitLeaders("admin-doomed-by-id", 1);
        await().atMost(PROPAGATION).until(() -> logDirsOf("admin-doomed").size() == 6);

        admin.deleteTopics(List.of("admin-doomed")).all().get();
        admin.deleteTopics(TopicCollection.ofTopicIds(List.of(byId))).all().get();

        await().atMost(PROPAGATION)
                .until(
                        () -> admin.listTopics().names().get(),
                        names -> !names.contains("admin-doomed") && !names.contains("admin-doomed-by-id"));
        await().atMost(PROPAGATION)
                .until(() -> logDirsOf("admin-doomed").isEmpty()
                        && logDirsOf("admin-doomed-by-id").isEmpty());
        assertThat(failureOf(admin.deleteTopics(List.of("admin-doomed")).all()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(failureOf(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(byId)))
                        .all()))
                .isInstanceOf(UnknownTopicIdException.class);
    }

    /** Last: stops and restarts metadata-service. */
    @Test
    void shouldSetClientQuotasWithKafkaConfigsThatEveryBrokerApplies() throws Exception {
        String bootstrap = cluster.bootstrapServers();
        KafkaConfigsTool.run(
                "--bootstrap-server",
                bootstrap,
                "--alter",
                "--entity-type",
                "clients",
                "--entity-name",
                "quota-tool",
                "--add-config",
                "producer_byte_rate=1024,consumer_byte_rate=2048");
        assertThat(KafkaConfigsTool.run("--bootstrap-server", bootstrap, "--describe", "--entity-type", "clients"))
                .contains("quota-tool")
                .contains("producer_byte_rate=1024")
                .contains("consumer_byte_rate=2048");

        // one partition led by each broker; a 30 KB record is 3 KB/s over the 10 s a young quota's rate covers
        List<Node> brokers = new ArrayList<>(admin.describeCluster().nodes().get());
        Map<Integer, List<Integer>> assignment = new java.util.HashMap<>();
        for (int p = 0; p < brokers.size(); p++) {
            assignment.put(p, List.of(brokers.get(p).id()));
        }
        admin.createTopics(List.of(new NewTopic("admin-quotas", assignment)))
                .all()
                .get();
        awaitLeaders("admin-quotas", brokers.size());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "quota-tool");
        for (int p = 0; p < brokers.size(); p++) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("admin-quotas", p, null, new byte[30_000]);
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                await().atMost(PROPAGATION).until(() -> {
                    producer.send(record).get();
                    return producer.metrics().entrySet().stream()
                            .filter(m -> m.getKey().name().equals("produce-throttle-time-max"))
                            .anyMatch(m -> ((Number) m.getValue().metricValue()).doubleValue() > 0);
                });
                producer.close(Duration.ZERO);
            }
        }

        KafkaConfigsTool.run(
                "--bootstrap-server",
                bootstrap,
                "--alter",
                "--entity-type",
                "clients",
                "--entity-name",
                "quota-tool",
                "--delete-config",
                "producer_byte_rate,consumer_byte_rate");
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.all())
                        .entities()
                        .get())
                .isEmpty();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldRetryAdminWritesWhileMetadataServiceIsAwayAndFinishWhenItIsBack() throws Exception {
        cluster.stop("metadata-1");
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "admin-orders");
        await().atMost(PROPAGATION)
                .untilAsserted(() -> assertThat(
                                failureOf(admin.describeConfigs(List.of(topic)).all()))
                        .isInstanceOf(NotControllerException.class)
                        .hasMessageContaining("metadata-service"));

        // NOT_CONTROLLER is retriable: the AdminClient keeps re-sending until its own timeout
        KafkaFuture<Void> created = admin.createTopics(
                        List.of(new NewTopic("admin-after-outage", 1, (short) 1)),
                        new CreateTopicsOptions().timeoutMs(90_000))
                .all();
        Thread.sleep(1_000);
        assertThat(created.isDone()).isFalse();
        cluster.restart("metadata-1");
        cluster.awaitHealthy("metadata-1");

        created.get(90, TimeUnit.SECONDS);
        awaitLeaders("admin-after-outage", 1);
    }

    // ---------------------------------------------------------------------------------------

    /** Waits until every broker's metadata shows {@code partitions} partitions, each with a leader. */
    private static TopicDescription awaitLeaders(String topic, int partitions) {
        return await().atMost(PROPAGATION)
                .ignoreExceptions()
                .until(
                        () -> admin.describeTopics(List.of(topic))
                                .allTopicNames()
                                .get()
                                .get(topic),
                        d -> d.partitions().size() == partitions
                                && d.partitions().stream()
                                        .allMatch(p -> p.leader() != null
                                                && !p.leader().isEmpty()));
    }

    /** The partition directories of {@code topic} in every broker's log directory. */
    private static List<Path> logDirsOf(String topic) throws IOException {
        List<Path> found = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            Path dir = cluster.dataDir().resolve("broker-" + id);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(dir)) {
                entries.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(topic) + "-\\d+"))
                        .forEach(found::add);
            }
        }
        return found;
    }

    private static void produce(String topic, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static Throwable failureOf(KafkaFuture<?> future) {
        ExecutionException failure =
                org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, future::get);
        return failure.getCause();
    }
}
