package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.tributary.cli.TributaryCli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions end to end (issue 18): unmodified transactional producers and read_committed /
 * read_uncommitted consumers against the three broker processes of the {@link SharedCluster}, the
 * coordinator's state in the replicated {@code __transaction_state}, a coordinator killed with -9
 * in the middle of a transaction, and consume-transform-produce with {@code
 * sendOffsetsToTransaction} through the group-coordinator.
 */
class TransactionsIT {

    private static TributaryCluster cluster;

    @BeforeAll
    static void startCluster() {
        // its own cluster, not the shared one: it kills and restarts brokers, and waits for
        // replica lag (SecureClusterIT runs transactions V1, the rest of the suite V2, the default)
        cluster = new TributaryCluster();
        cluster.startMetadataService("metadata-1");
        cluster.startBrokers(
                3,
                "--tributary.broker.replica-lag-time-max=3s",
                "--tributary.transaction.abort-timed-out-transaction-cleanup-interval=500ms");
        cluster.startGroupCoordinator("group-coordinator-1", "--tributary.group.initial-rebalance-delay=0s");
        cluster.awaitHealthy();
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldShowCommittedTransactionsToBothIsolationLevelsAndAbortedOnesOnlyToReadUncommitted() throws Exception {
        String topic = Topics.create(cluster, "txn-visibility", 2, 3, Map.of("min.insync.replicas", "2"));
        try (KafkaProducer<String, String> producer = producer("visibility")) {
            producer.initTransactions();
            sendInTransaction(producer, topic, "first", 10, true);
            sendInTransaction(producer, topic, "aborted", 10, false);
            sendInTransaction(producer, topic, "second", 5, true);
        }

        List<String> committed = readAll(topic, 2, "read_committed", 15);
        List<String> uncommitted = readAll(topic, 2, "read_uncommitted", 25);

        assertThat(committed).hasSize(15).noneMatch(v -> v.startsWith("aborted"));
        assertThat(committed).filteredOn(v -> v.startsWith("first")).hasSize(10);
        assertThat(committed).filteredOn(v -> v.startsWith("second")).hasSize(5);
        assertThat(uncommitted).filteredOn(v -> v.startsWith("aborted")).hasSize(10);
    }

    @Test
    void shouldHoldReadCommittedConsumersAtTheFirstOpenTransaction() throws Exception {
        String topic = Topics.create(cluster, "txn-open", 1, 3, Map.of("min.insync.replicas", "2"));
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> plain = plainProducer();
                KafkaProducer<String, String> producer = producer("open")) {
            plain.send(new ProducerRecord<>(topic, "before")).get();
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "in-flight")).get();
            plain.send(new ProducerRecord<>(topic, "after")).get();

            try (KafkaConsumer<String, String> committed = consumer("read_committed");
                    KafkaConsumer<String, String> uncommitted = consumer("read_uncommitted")) {
                assertThat(committed.endOffsets(List.of(tp))).containsEntry(tp, 1L);
                assertThat(uncommitted.endOffsets(List.of(tp))).containsEntry(tp, 3L);
                assertThat(poll(committed, tp, 1, Duration.ofSeconds(3))).containsExactly("before");

                producer.commitTransaction();

                assertThat(poll(committed, tp, 2, Duration.ofSeconds(15))).containsExactly("in-flight", "after");
            }
        }
    }

    @Test
    void shouldHoldReadCommittedConsumersAtTheLogStartWhenDeleteRecordsPassesAnOpenTransactionsFirstRecord()
            throws Exception {
        String topic = Topics.create(cluster, "txn-deleted-start", 1, 3, Map.of("min.insync.replicas", "2"));
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> plain = plainProducer();
                KafkaProducer<String, String> producer = producer("deleted-start");
                Admin admin = admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "in-flight")).get();
            plain.send(new ProducerRecord<>(topic, "after-1")).get();
            plain.send(new ProducerRecord<>(topic, "after-2")).get();

            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(2)))
                    .all()
                    .get();

            try (KafkaConsumer<String, String> committed = consumer("read_committed")) {
                // as Kafka: not offset 0 (deleted, where the transaction began), which a consumer
                // resetting to "latest" would find out of range
                assertThat(committed.endOffsets(List.of(tp))).containsEntry(tp, 2L);

                producer.abortTransaction();

                await().atMost(Duration.ofSeconds(15))
                        .untilAsserted(() ->
                                assertThat(committed.endOffsets(List.of(tp))).containsEntry(tp, 4L));
                assertThat(poll(committed, tp, 1, Duration.ofSeconds(15))).containsExactly("after-2");
            }
        }
    }

    @Test
    void shouldFenceTheFirstProducerWhenASecondOneInitializesTheSameTransactionalId() throws Exception {
        String topic = Topics.create(cluster, "txn-fencing", 1, 3, Map.of("min.insync.replicas", "2"));
        try (KafkaProducer<String, String> first = producer("fenced");
                KafkaProducer<String, String> second = producer("fenced")) {
            first.initTransactions();
            first.beginTransaction();
            first.send(new ProducerRecord<>(topic, "zombie")).get();

            second.initTransactions();

            assertThatThrownBy(first::commitTransaction).isInstanceOf(ProducerFencedException.class);
            sendInTransaction(second, topic, "successor", 3, true);
        }

        List<String> committed = readAll(topic, 1, "read_committed", 3);
        assertThat(committed).containsExactly("successor-0", "successor-1", "successor-2");
    }

    @Test
    void shouldAbortATransactionOpenLongerThanItsTimeout() throws Exception {
        String topic = Topics.create(cluster, "txn-timeout", 1, 3, Map.of("min.insync.replicas", "2"));
        try (KafkaProducer<String, String> producer =
                        producer("slow", Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 2_000));
                Admin admin = admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "too-slow")).get();

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> describe(admin, "slow").state().toString().equals("CompleteAbort"));

            assertThatThrownBy(producer::commitTransaction).isInstanceOf(KafkaException.class);
            try (KafkaProducer<String, String> plain = plainProducer()) {
                plain.send(new ProducerRecord<>(topic, "later")).get();
            }
            assertThat(readAll(topic, 1, "read_committed", 1)).containsExactly("later");
        }
    }

    @Test
    void shouldDescribeAndListAnOpenTransaction() throws Exception {
        String topic = Topics.create(cluster, "txn-describe", 2, 3, Map.of());
        try (KafkaProducer<String, String> producer = producer("described");
                Admin admin = admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get();
            producer.send(new ProducerRecord<>(topic, 1, "k", "v")).get();

            TransactionDescription description = describe(admin, "described");
            List<String> listed = admin.listTransactions().all().get().stream()
                    .map(TransactionListing::transactionalId)
                    .toList();

            assertThat(description.state().toString()).isEqualTo("Ongoing");
            assertThat(description.topicPartitions())
                    .containsExactlyInAnyOrder(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            assertThat(description.transactionTimeoutMs()).isEqualTo(60_000);
            assertThat(listed).contains("described");

            String table = cli("transactions", "describe", "--transactional-id", "described");
            String json = cli("transactions", "describe", "--transactional-id", "described", "--output", "json");
            String list = cli("transactions", "list");
            assertThat(table).contains("Ongoing").contains(topic + "-0," + topic + "-1");
            assertThat(json)
                    .containsPattern("\"state\"\\s*:\\s*\"Ongoing\"")
                    .containsPattern("\"transactionTimeoutMs\"\\s*:\\s*60000");
            assertThat(list).containsPattern("described\\s+\\d+\\s+Ongoing");
            producer.abortTransaction();
        }
    }

    @Test
    void shouldCommitWhatWasOpenWhenTheCoordinatorIsKilledAndKeepAbortedRecordsHidden() throws Exception {
        String topic = Topics.create(cluster, "txn-failover", 3, 3, Map.of("min.insync.replicas", "2"));
        try (KafkaProducer<String, String> producer = producer("failover");
                Admin admin = admin()) {
            producer.initTransactions();
            sendInTransaction(producer, topic, "aborted", 30, false);
            producer.beginTransaction();
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "kept-" + i));
            }
            producer.flush();
            int coordinator = describe(admin, "failover").coordinatorId();

            cluster.kill("broker-" + coordinator);
            try {
                producer.commitTransaction();

                List<String> committed = readAll(topic, 3, "read_committed", 30);
                assertThat(committed).hasSize(30).allMatch(v -> v.startsWith("kept-"));
            } finally {
                cluster.restart("broker-" + coordinator);
                cluster.awaitHealthy("broker-" + coordinator);
            }
        }
    }

    @Test
    void shouldKeepAbortedRecordsHiddenFromReadCommittedAfterEveryBrokerRestarts() throws Exception {
        String topic = Topics.create(cluster, "txn-restart", 1, 3, Map.of("min.insync.replicas", "2"));
        try (KafkaProducer<String, String> producer = producer("restarted")) {
            producer.initTransactions();
            sendInTransaction(producer, topic, "first", 5, true);
            sendInTransaction(producer, topic, "aborted", 20, false);
            sendInTransaction(producer, topic, "second", 5, true);
        }
        // every replica stops, so the aborted transactions come back from the .txnindex files
        // (their rebuild after a kill -9 is storage's PartitionLogTransactionsTest: a kill of all
        // three brokers here costs a minute of ZooKeeper session expiry)
        List<String> brokers = List.of("broker-1", "broker-2", "broker-3");
        brokers.forEach(cluster::stop);
        brokers.forEach(cluster::restart);
        cluster.awaitHealthy(brokers.toArray(String[]::new));

        List<String> committed = readAll(topic, 1, "read_committed", 10);
        List<String> uncommitted = readAll(topic, 1, "read_uncommitted", 30);

        assertThat(committed).hasSize(10).noneMatch(v -> v.startsWith("aborted"));
        assertThat(uncommitted).filteredOn(v -> v.startsWith("aborted")).hasSize(20);
    }

    @Test
    void shouldDescribeTheTransactionStateTopicAsInternalAndCompacted() throws Exception {
        String topic = Topics.create(cluster, "txn-internal", 1, 3, Map.of());
        try (KafkaProducer<String, String> producer = producer("internal");
                Admin admin = admin()) {
            producer.initTransactions();
            sendInTransaction(producer, topic, "v", 1, true);

            TopicDescription state = admin.describeTopics(List.of(Topic.TRANSACTION_STATE_TOPIC_NAME))
                    .allTopicNames()
                    .get()
                    .get(Topic.TRANSACTION_STATE_TOPIC_NAME);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topic.TRANSACTION_STATE_TOPIC_NAME);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);

            assertThat(state.isInternal()).isTrue();
            assertThat(admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .isInternal())
                    .isFalse();
            assertThat(admin.listTopics().names().get())
                    .contains(topic)
                    .doesNotContain(Topic.TRANSACTION_STATE_TOPIC_NAME);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    @Test
    void shouldMakeOffsetsSentToATransactionVisibleOnlyWhenItCommits() throws Exception {
        String input = Topics.create(cluster, "ctp-offsets-in", 1, 3, Map.of("min.insync.replicas", "2"));
        String output = Topics.create(cluster, "ctp-offsets-out", 1, 3, Map.of("min.insync.replicas", "2"));
        TopicPartition in = new TopicPartition(input, 0);
        produce(input, "in", 10);
        try (KafkaConsumer<String, String> consumer = groupConsumer("ctp-offsets", input);
                KafkaProducer<String, String> producer = producer("ctp-offsets");
                KafkaConsumer<String, String> checker = committedChecker("ctp-offsets")) {
            producer.initTransactions();
            List<ConsumerRecord<String, String>> batch = pollAtLeast(consumer, 10);

            transform(producer, consumer, batch, output, false);
            assertThat(checker.committed(Set.of(in), Duration.ofSeconds(10)).get(in))
                    .isNull();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(output, "out-pending")).get();
            producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(10)), consumer.groupMetadata());
            // a read_committed consumer asks with require_stable: the pending commit is retried, not answered
            assertThatThrownBy(() -> checker.committed(Set.of(in), Duration.ofSeconds(2)))
                    .isInstanceOf(TimeoutException.class);
            producer.commitTransaction();

            assertThat(checker.committed(Set.of(in), Duration.ofSeconds(10))
                            .get(in)
                            .offset())
                    .isEqualTo(10);
        }
    }

    @Test
    void shouldDeliverEachInputExactlyOnceDownstreamAcrossAnAbortedAndARetriedTransaction() throws Exception {
        String input = Topics.create(cluster, "ctp-once-in", 2, 3, Map.of("min.insync.replicas", "2"));
        String output = Topics.create(cluster, "ctp-once-out", 2, 3, Map.of("min.insync.replicas", "2"));
        produce(input, "in", 40);
        try (KafkaConsumer<String, String> consumer = groupConsumer("ctp-once", input);
                KafkaProducer<String, String> producer = producer("ctp-once")) {
            producer.initTransactions();
            int transformed = 0;
            boolean abortedOnce = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (transformed < 40 && System.nanoTime() < deadline) {
                List<ConsumerRecord<String, String>> batch = pollAtLeast(consumer, 1);
                boolean commit = abortedOnce || transformed < 10;
                transform(producer, consumer, batch, output, commit);
                if (commit) {
                    transformed += batch.size();
                } else {
                    abortedOnce = true;
                    rewindToCommitted(consumer);
                }
            }
            assertThat(abortedOnce).isTrue();
        }

        List<String> downstream = readAll(output, 2, "read_committed", 40);
        assertThat(downstream).hasSize(40).doesNotHaveDuplicates();
        List<String> everything = readAll(output, 2, "read_uncommitted", 41);
        assertThat(everything.size()).as("the aborted attempt is in the log").isGreaterThan(40);
    }

    @Test
    void shouldCountEachWordExactlyOnceWithKafkaStreamsExactlyOnceAcrossAStopAndRestart(@TempDir Path stateDir)
            throws Exception {
        String input = Topics.create(cluster, "wc-in", 2, 3, Map.of("min.insync.replicas", "2"));
        String output = Topics.create(cluster, "wc-out", 2, 3, Map.of("min.insync.replicas", "2"));
        List<String> words = List.of("alpha", "beta", "gamma", "delta");
        produceLines(input, words, 0, 100);

        KafkaStreams first = wordCount(input, output, stateDir);
        first.start();
        // the first half counted and committed, then the second half arrives and the app stops in its midst
        awaitCounts(output, words, 50);
        produceLines(input, words, 100, 200);
        first.close(Duration.ofSeconds(30));

        KafkaStreams second = wordCount(input, output, stateDir);
        try {
            second.start();
            Map<String, List<Long>> updates = awaitCounts(output, words, 100);
            // a record counted twice would show as a count above 100 somewhere in the committed output
            updates.forEach((word, counts) -> assertThat(counts).as(word).allMatch(c -> c <= 100));
        } finally {
            second.close(Duration.ofSeconds(30));
        }
    }

    // ---- helpers ----

    private static void sendInTransaction(
            KafkaProducer<String, String> producer, String topic, String prefix, int count, boolean commit)
            throws Exception {
        producer.beginTransaction();
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, "k" + i, prefix + "-" + i));
        }
        producer.flush();
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    /** One consume-transform-produce step: the batch transformed into {@code output}, its offsets sent along. */
    private static void transform(
            KafkaProducer<String, String> producer,
            KafkaConsumer<String, String> consumer,
            List<ConsumerRecord<String, String>> batch,
            String output,
            boolean commit)
            throws Exception {
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<String, String> record : batch) {
            producer.send(new ProducerRecord<>(output, record.key(), "out-" + record.value()));
            next.put(
                    new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
        if (commit) {
            producer.commitTransaction();
        } else {
            // the records reach the log before the abort: a V2 producer (no AddPartitionsToTxn to
            // wait for) may otherwise still hold them, and abort them unsent
            producer.flush();
            producer.abortTransaction();
        }
    }

    /** After an abort the consumer goes back to what the group committed (the start, if nothing yet). */
    private static void rewindToCommitted(KafkaConsumer<String, String> consumer) {
        Map<TopicPartition, OffsetAndMetadata> committed =
                consumer.committed(consumer.assignment(), Duration.ofSeconds(30));
        for (TopicPartition tp : consumer.assignment()) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, offset.offset());
            }
        }
    }

    private static List<ConsumerRecord<String, String>> pollAtLeast(
            KafkaConsumer<String, String> consumer, int wanted) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.size() < wanted && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        assertThat(records).as("records polled").hasSizeGreaterThanOrEqualTo(wanted);
        return records;
    }

    private static void produce(String topic, String prefix, int count) throws Exception {
        try (KafkaProducer<String, String> plain = plainProducer()) {
            for (int i = 0; i < count; i++) {
                plain.send(new ProducerRecord<>(topic, "k" + i, prefix + "-" + i));
            }
            plain.flush();
        }
    }

    /** A read_committed member of {@code group} subscribed to {@code topic}, five records a poll, committing nothing itself. */
    private static KafkaConsumer<String, String> groupConsumer(String group, String topic) {
        KafkaConsumer<String, String> consumer =
                committedChecker(group, Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5));
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** A read_committed consumer of {@code group}: its committed() asks with require_stable. */
    private static KafkaConsumer<String, String> committedChecker(String group) {
        return committedChecker(group, Map.of());
    }

    private static KafkaConsumer<String, String> committedChecker(String group, Map<String, Object> extra) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.putAll(extra);
        return new KafkaConsumer<>(props);
    }

    /** Lines {@code from} to {@code to - 1}, line i holding the words i % 4 and (i + 1) % 4: each word 50 times per 100 lines. */
    private static void produceLines(String topic, List<String> words, int from, int to) throws Exception {
        try (KafkaProducer<String, String> plain = plainProducer()) {
            for (int i = from; i < to; i++) {
                String line = words.get(i % 4) + " " + words.get((i + 1) % 4);
                plain.send(new ProducerRecord<>(topic, "line-" + i, line));
            }
            plain.flush();
        }
    }

    /** The word count: lines split into words, regrouped by word (a repartition topic), counted (a changelog). */
    private static KafkaStreams wordCount(String input, String output, Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> List.of(line.split(" ")))
                .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count()
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "wordcount-eos");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        // a Streams member does not leave its group on close: the restarted instance's rebalance
        // waits for the stopped one's session to expire (45 s by default)
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return new KafkaStreams(builder.build(), props);
    }

    /**
     * Reads the count topic (read_committed) from the start until every word's latest count is
     * {@code expected}; every committed count of every word, in order.
     */
    private static Map<String, List<Long>> awaitCounts(String topic, List<String> words, long expected) {
        Map<String, List<Long>> updates = new HashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, LongDeserializer.class);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> tps = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> updates.computeIfAbsent(r.key(), k -> new ArrayList<>())
                                .add(r.value()));
                for (String word : words) {
                    List<Long> counts = updates.getOrDefault(word, List.of());
                    assertThat(counts).as(word).isNotEmpty();
                    assertThat(counts.get(counts.size() - 1)).as(word).isEqualTo(expected);
                }
            });
        }
        return updates;
    }

    @Test
    void shouldRefuseATransactionalProduceThatArrivesAfterItsTransactionWasAborted() throws Exception {
        String topic = Topics.create(cluster, "txn-late", 1, 3, Map.of("min.insync.replicas", "2"));
        try (KafkaProducer<String, String> producer = producer("late");
                Admin admin = admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "aborted")).get();
            producer.abortTransaction();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> describe(admin, "late").state().toString().equals("CompleteAbort"));
            // the producer's current epoch (transactions V2 bumped it at the abort; V1 did not)
            TransactionDescription open = describe(admin, "late");
            String leader = Topics.brokerOf(cluster, topic);

            // a retry delayed past the abort: the same producer id and epoch, the next sequence
            try (RawConnection connection =
                    RawConnection.open("127.0.0.1", cluster.service(leader).kafkaPort(), Duration.ofSeconds(40))) {
                assertThat(lateProduce(connection, (short) 10, topic, open)).isEqualTo(Errors.INVALID_TXN_STATE);
                assertThat(lateProduce(connection, (short) 11, topic, open)).isEqualTo(Errors.TRANSACTION_ABORTABLE);
            }
        }
        produce(topic, "after", 1);

        // nothing was appended and no transaction hangs: read_committed reads to the end of the log
        assertThat(readAll(topic, 1, "read_committed", 1)).containsExactly("after-0");
        assertThat(readAll(topic, 1, "read_uncommitted", 2)).containsExactly("aborted", "after-0");
    }

    /** A transactional Produce of one record for {@code txn}'s producer at sequence 1, sent raw; its partition error. */
    private static Errors lateProduce(
            RawConnection connection, short version, String topic, TransactionDescription txn) {
        return lateProduce(connection, version, topic, "late", txn.producerId(), (short) txn.producerEpoch());
    }

    private static Errors lateProduce(
            RawConnection connection,
            short version,
            String topic,
            String transactionalId,
            long producerId,
            short producerEpoch) {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(
                Compression.NONE,
                producerId,
                producerEpoch,
                1,
                new SimpleRecord("late".getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData()
                .setName(topic)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(records))));
        ProduceRequestData request = new ProduceRequestData()
                .setTransactionalId(transactionalId)
                .setAcks((short) -1)
                .setTimeoutMs(30_000)
                .setTopicData(topics);
        ProduceResponse response = (ProduceResponse)
                connection.roundTrip(ApiKeys.PRODUCE, version, version, request).body();
        return Errors.forCode(response.data()
                .responses()
                .iterator()
                .next()
                .partitionResponses()
                .get(0)
                .errorCode());
    }

    private static TransactionDescription describe(Admin admin, String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId))
                .description(transactionalId)
                .get();
    }

    /** Reads from the beginning of every partition until {@code expected} values came, then a little longer for extras. */
    private static List<String> readAll(String topic, int partitions, String isolation, int expected) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(isolation)) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        }
        return values;
    }

    private static List<String> poll(
            KafkaConsumer<String, String> consumer, TopicPartition tp, int wanted, Duration max) {
        if (consumer.assignment().isEmpty()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
        }
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + max.toNanos();
        while (values.size() < wanted && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                values.add(record.value());
            }
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
            values.add(record.value());
        }
        return values;
    }

    private static KafkaProducer<String, String> producer(String transactionalId) {
        return producer(transactionalId, Map.of());
    }

    private static KafkaProducer<String, String> producer(String transactionalId, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(baseProducer());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.putAll(extra);
        return new KafkaProducer<>(props);
    }

    private static KafkaProducer<String, String> plainProducer() {
        return new KafkaProducer<>(baseProducer());
    }

    private static Map<String, Object> baseProducer() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.ACKS_CONFIG,
                "all");
    }

    private static KafkaConsumer<String, String> consumer(String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props);
    }

    /** Runs {@code tributary args... --bootstrap-server B} in process; its standard output (exit code 0 asserted). */
    private static String cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", cluster.bootstrapServers()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TributaryCli.newCommandLine(
                        new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        return Admin.create(props);
    }

    // ---- transactions V2 (KIP-890 part 2; tributary.transaction.version=2, the default) ----

    @Test
    void shouldAdvertiseTransactionVersion2AndBumpTheProducerEpochAtEveryCommitAndAbort() throws Exception {
        String topic = Topics.create(cluster, "txn-v2-ends", 1, 3, Map.of("min.insync.replicas", "2"));
        try (RawConnection connection =
                RawConnection.open("127.0.0.1", cluster.service("broker-1").kafkaPort(), Duration.ofSeconds(40))) {
            ApiVersionsResponse versions = (ApiVersionsResponse) connection
                    .roundTrip(
                            ApiKeys.API_VERSIONS,
                            (short) 3,
                            1,
                            new ApiVersionsRequestData()
                                    .setClientSoftwareName("it")
                                    .setClientSoftwareVersion("1"))
                    .body();
            assertThat(versions.data().finalizedFeaturesEpoch()).isNotNegative();
            assertThat(versions.data()
                            .finalizedFeatures()
                            .find("transaction.version")
                            .maxVersionLevel())
                    .isEqualTo((short) 2);
            assertThat(versions.data()
                            .supportedFeatures()
                            .find("transaction.version")
                            .maxVersion())
                    .isEqualTo((short) 2);
        }
        try (KafkaProducer<String, String> producer = producer("v2-ends");
                Admin admin = admin()) {
            producer.initTransactions();
            int initial = describe(admin, "v2-ends").producerEpoch();

            sendInTransaction(producer, topic, "committed", 3, true);
            assertThat(describe(admin, "v2-ends").producerEpoch()).isEqualTo(initial + 1);
            sendInTransaction(producer, topic, "aborted", 3, false);
            assertThat(describe(admin, "v2-ends").producerEpoch()).isEqualTo(initial + 2);
            // the producer goes on at the epoch EndTxn v5 handed it
            sendInTransaction(producer, topic, "again", 2, true);
            assertThat(describe(admin, "v2-ends").producerEpoch()).isEqualTo(initial + 3);
        }

        assertThat(readAll(topic, 1, "read_committed", 5))
                .containsExactly("committed-0", "committed-1", "committed-2", "again-0", "again-1");
    }

    @Test
    void shouldRefuseABatchOfACommittedV2TransactionSentAfterTheCommitWithItsOldEpoch() throws Exception {
        String topic = Topics.create(cluster, "txn-v2-zombie", 1, 3, Map.of("min.insync.replicas", "2"));
        try (KafkaProducer<String, String> producer = producer("v2-zombie");
                Admin admin = admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "committed")).get();
            // with no AddPartitionsToTxn from the producer, the leader added the partition
            assertThat(describe(admin, "v2-zombie").topicPartitions()).contains(new TopicPartition(topic, 0));
            TransactionDescription open = describe(admin, "v2-zombie");
            producer.commitTransaction();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> describe(admin, "v2-zombie").state().toString().equals("CompleteCommit"));
            String leader = Topics.brokerOf(cluster, topic);

            // a retry of the committed transaction's batch delayed past the commit: the epoch it carries is stale
            try (RawConnection connection =
                    RawConnection.open("127.0.0.1", cluster.service(leader).kafkaPort(), Duration.ofSeconds(40))) {
                assertThat(lateProduce(connection, (short) 12, topic, "v2-zombie", open.producerId(), (short)
                                open.producerEpoch()))
                        .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
            }
            assertThat(describe(admin, "v2-zombie").state().toString()).isEqualTo("CompleteCommit");
        }
        produce(topic, "after", 1);

        // nothing was appended and no transaction hangs
        assertThat(readAll(topic, 1, "read_uncommitted", 2)).containsExactly("committed", "after-0");
        assertThat(readAll(topic, 1, "read_committed", 2)).containsExactly("committed", "after-0");
    }

    @Test
    void shouldFenceAV2ProducerWhenASecondOneInitializesItsTransactionalIdBetweenTwoSends() throws Exception {
        String topic = Topics.create(cluster, "txn-v2-fencing", 1, 3, Map.of("min.insync.replicas", "2"));
        try (KafkaProducer<String, String> first = producer("v2-fenced");
                KafkaProducer<String, String> second = producer("v2-fenced")) {
            first.initTransactions();
            sendInTransaction(first, topic, "before", 2, true);
            first.beginTransaction();
            first.send(new ProducerRecord<>(topic, "zombie")).get();

            second.initTransactions();

            // the leader's add through the coordinator refuses the old epoch, and so does EndTxn
            Throwable refused = catchThrowable(() -> {
                first.send(new ProducerRecord<>(topic, "zombie-2")).get();
                first.commitTransaction();
            });
            assertThat(Stream.iterate(refused, Objects::nonNull, Throwable::getCause))
                    .as("the zombie's send or commit fails as fenced: %s", refused)
                    .anyMatch(e -> e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException);
            sendInTransaction(second, topic, "successor", 2, true);
        }

        assertThat(readAll(topic, 1, "read_committed", 4))
                .containsExactly("before-0", "before-1", "successor-0", "successor-1");
    }

    @Test
    void shouldAddTheGroupToAV2TransactionWithTxnOffsetCommitAlone() throws Exception {
        String input = Topics.create(cluster, "ctp-v2-in", 1, 3, Map.of("min.insync.replicas", "2"));
        String output = Topics.create(cluster, "ctp-v2-out", 1, 3, Map.of("min.insync.replicas", "2"));
        TopicPartition in = new TopicPartition(input, 0);
        produce(input, "in", 6);
        try (KafkaConsumer<String, String> consumer = groupConsumer("ctp-v2", input);
                KafkaProducer<String, String> producer = producer("ctp-v2");
                KafkaConsumer<String, String> checker = committedChecker("ctp-v2");
                Admin admin = admin()) {
            producer.initTransactions();
            List<ConsumerRecord<String, String>> batch = pollAtLeast(consumer, 5);

            transform(producer, consumer, batch.subList(0, 5), output, false);
            assertThat(checker.committed(Set.of(in), Duration.ofSeconds(10)).get(in))
                    .isNull();

            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(5)), consumer.groupMetadata());
            // the broker relaying TxnOffsetCommit v5 added the group's offsets partition to the transaction
            assertThat(describe(admin, "ctp-v2").topicPartitions())
                    .anyMatch(tp -> tp.topic().equals(Topic.GROUP_METADATA_TOPIC_NAME));
            producer.send(new ProducerRecord<>(output, "out-committed")).get();
            producer.commitTransaction();

            assertThat(checker.committed(Set.of(in), Duration.ofSeconds(10))
                            .get(in)
                            .offset())
                    .isEqualTo(5);
        }
        assertThat(readAll(output, 1, "read_committed", 1)).containsExactly("out-committed");
    }
}
