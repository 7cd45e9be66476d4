package io.tributary.broker.txn;

import io.tributary.broker.admin.MetadataServiceBodies.NewTopic;
import io.tributary.broker.admin.MetadataServiceClient;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.ClusterSnapshot;
import io.tributary.broker.cluster.TopicMetadata;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.ZkJson;
import io.tributary.storage.log.FetchDataInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated home of the coordinator's state, as Kafka's: the internal topic
 * {@code __transaction_state}, whose partition {@code hash(transactional.id) % partitions} holds
 * one record per state transition keyed by the transactional id (a null value forgets the id).
 * The broker leading that partition is the id's coordinator; each record is appended with
 * {@code acks=all} semantics (the high watermark must pass it) before the transition is
 * answered, and a new leader rebuilds the state by reading the partition. The value is the
 * state as JSON: an internal format of Tributary's, not Kafka's binary one.
 *
 * <p>The topic is created through metadata-service on first use, with the replication factor
 * {@code min(transaction.state.log.replication.factor, live brokers)} and, as Kafka's,
 * {@code cleanup.policy=compact}: the log cleaner keeps the latest state of each id, and drops an
 * id's tombstone (written when it expires after {@code transactional.id.expiration.ms}) after
 * {@code delete.retention.ms}. {@link #load} reads such a log as any other: the latest record
 * of an id wins, a tombstone forgets it, and the offsets the cleaner removed are skipped.
 */
final class TransactionLog {

    static final String TOPIC = Topic.TRANSACTION_STATE_TOPIC_NAME;

    private static final Logger log = LoggerFactory.getLogger(TransactionLog.class);
    private static final long WRITE_TIMEOUT_MS = 30_000;
    private static final int READ_BYTES = 1 << 20;

    /**
     * The JSON value of a state record. {@code groups} (AddOffsetsToTxn) is absent from records
     * written before groups could join a transaction, and read as none; the last three (Kafka's
     * tagged fields {@code PreviousProducerId}, {@code NextProducerId} and
     * {@code ClientTransactionVersion} of {@code TransactionLogValue} v1, for transactions V2) are
     * absent from records written before them, and read as Kafka's defaults -1, -1 and 0.
     */
    record LoggedState(
            long producerId,
            short producerEpoch,
            int timeoutMs,
            TransactionState state,
            Map<String, List<Integer>> partitions,
            long startMs,
            long lastUpdateMs,
            List<String> groups,
            Long prevProducerId,
            Long nextProducerId,
            Short clientTransactionVersion) {}

    private final ReplicaManager replicaManager;
    private final ClusterMetadataCache cache;
    private final MetadataServiceClient metadataService;
    private final RequestHandlerPool pool;
    private final TransactionProperties properties;
    private final AtomicBoolean creating = new AtomicBoolean();

    TransactionLog(
            ReplicaManager replicaManager,
            ClusterMetadataCache cache,
            MetadataServiceClient metadataService,
            RequestHandlerPool pool,
            TransactionProperties properties) {
        this.replicaManager = replicaManager;
        this.cache = cache;
        this.metadataService = metadataService;
        this.pool = pool;
        this.properties = properties;
    }

    /** The topic, or empty while it does not exist. */
    Optional<TopicMetadata> topic() {
        return cache.snapshot().topic(TOPIC);
    }

    /** The topic, or empty while it does not exist yet: a client needs it, so its creation is started. */
    Optional<TopicMetadata> topicOrCreate() {
        Optional<TopicMetadata> topic = topic();
        if (topic.isEmpty()) {
            maybeCreate();
        }
        return topic;
    }

    /** The partition of {@code __transaction_state} that holds {@code transactionalId}, as Kafka places it. */
    static int partitionFor(String transactionalId, int partitionCount) {
        return Utils.abs(transactionalId.hashCode()) % partitionCount;
    }

    /** The live broker leading the partition of {@code transactionalId}: its coordinator. */
    Optional<BrokerRegistration> coordinatorFor(String transactionalId) {
        ClusterSnapshot snapshot = cache.snapshot();
        return topicOrCreate()
                .flatMap(topic -> topic.state(partitionFor(transactionalId, topic.partitionCount())))
                .map(state -> state.leader())
                .filter(snapshot::isLive)
                .flatMap(snapshot::broker);
    }

    /** This broker's replica of partition {@code index} if it leads it. */
    Optional<Partition> localLeader(int index) {
        return replicaManager.localPartition(new TopicPartition(TOPIC, index)).filter(Partition::isLeader);
    }

    /** Appends the state (or, when {@code state} is null, forgets {@code transactionalId}); done once the ISR has it. */
    CompletableFuture<Void> write(Partition partition, String transactionalId, TransactionMetadata state) {
        byte[] key = transactionalId.getBytes(StandardCharsets.UTF_8);
        byte[] value = state == null ? null : valueOf(state);
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(key, value));
        return pool.submitInOrder(partition.topicPartition(), () -> partition.appendAsLeader(records, (short) -1))
                .thenCompose(info ->
                        HighWatermarkWait.until(replicaManager, partition, info.lastOffset() + 1, WRITE_TIMEOUT_MS));
    }

    /** Reads the whole partition (up to its log end, which a new leader's followers will converge on): the latest state per id. */
    Map<String, TransactionMetadata> load(Partition partition) {
        Map<String, TransactionMetadata> states = new HashMap<>();
        long offset = partition.logStartOffset();
        while (offset < partition.logEndOffset()) {
            FetchDataInfo read = partition.read(offset, READ_BYTES, true, false, true, Optional.empty());
            long next = offset;
            for (RecordBatch batch : read.records().batches()) {
                for (Record record : batch) {
                    if (record.offset() >= offset && record.hasKey()) {
                        apply(states, record);
                    }
                }
                next = batch.nextOffset();
            }
            if (next == offset) {
                break;
            }
            offset = next;
        }
        return states;
    }

    private static void apply(Map<String, TransactionMetadata> states, Record record) {
        String transactionalId = StandardCharsets.UTF_8.decode(record.key()).toString();
        if (!record.hasValue()) {
            states.remove(transactionalId);
            return;
        }
        states.put(transactionalId, stateOf(transactionalId, Utils.toArray(record.value())));
    }

    /** The value of the record holding {@code state}. */
    static byte[] valueOf(TransactionMetadata state) {
        return ZkJson.toBytes(toLogged(state));
    }

    /** The state a record's value holds, as {@link #load} reads it. */
    static TransactionMetadata stateOf(String transactionalId, byte[] value) {
        return fromLogged(transactionalId, ZkJson.fromBytes(value, LoggedState.class));
    }

    private static LoggedState toLogged(TransactionMetadata state) {
        Map<String, List<Integer>> partitions = new TreeMap<>();
        for (TopicPartition tp : state.partitions()) {
            partitions.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        return new LoggedState(
                state.producerId(),
                state.producerEpoch(),
                state.timeoutMs(),
                state.state(),
                partitions,
                state.startMs(),
                state.lastUpdateMs(),
                new ArrayList<>(new TreeSet<>(state.groups())),
                state.prevProducerId(),
                state.nextProducerId(),
                state.clientTransactionVersion());
    }

    private static TransactionMetadata fromLogged(String transactionalId, LoggedState logged) {
        Set<TopicPartition> partitions = new HashSet<>();
        logged.partitions()
                .forEach((topic, indexes) -> indexes.forEach(i -> partitions.add(new TopicPartition(topic, i))));
        return new TransactionMetadata(
                transactionalId,
                logged.producerId(),
                logged.producerEpoch(),
                logged.timeoutMs(),
                logged.state(),
                partitions,
                logged.groups() == null ? Set.of() : Set.copyOf(logged.groups()),
                logged.startMs(),
                logged.lastUpdateMs(),
                logged.prevProducerId() == null ? RecordBatch.NO_PRODUCER_ID : logged.prevProducerId(),
                logged.nextProducerId() == null ? RecordBatch.NO_PRODUCER_ID : logged.nextProducerId(),
                logged.clientTransactionVersion() == null
                        ? TransactionMetadata.NO_TRANSACTION_VERSION
                        : logged.clientTransactionVersion());
    }

    private void maybeCreate() {
        if (!creating.compareAndSet(false, true)) {
            return;
        }
        int liveBrokers = cache.snapshot().liveBrokers().size();
        int replicationFactor = Math.max(1, Math.min(properties.stateLogReplicationFactor(), liveBrokers));
        Map<String, String> configs = Map.of(
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                String.valueOf(Math.min(properties.stateLogMinIsr(), replicationFactor)),
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT);
        metadataService
                .createTopic(
                        new NewTopic(
                                TOPIC, properties.stateLogNumPartitions(), replicationFactor, null, configs, false),
                        Duration.ofSeconds(30))
                .whenComplete((created, failure) -> {
                    creating.set(false);
                    if (failure == null) {
                        log.info(
                                "Created {} with {} partitions, replication factor {}",
                                TOPIC,
                                properties.stateLogNumPartitions(),
                                replicationFactor);
                    } else {
                        log.warn(
                                "Creating {} failed (another broker may have created it): {}",
                                TOPIC,
                                failure.toString());
                    }
                });
    }
}
