package io.tributary.broker.partition;

import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.ClusterSnapshot;
import io.tributary.broker.cluster.TopicMetadata;
import io.tributary.broker.producer.ProducerStateProperties;
import io.tributary.common.zk.PartitionState;
import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.LogManager;
import io.tributary.storage.log.PartitionLog;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.ThreadUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker holds a replica of, kept in line with the cluster metadata: a
 * partition assigned here gets a log and the role the controller gave it; a partition no longer
 * assigned here, or whose topic was deleted (or re-created with a new topic id), loses its log.
 * Metadata changes are applied in order on one thread so a slow disk operation never holds up
 * ZooKeeper's event thread.
 *
 * <p>A replica whose log directory went offline ({@link #takeOffline}) is no longer served: it
 * leaves the partitions, its fetcher stops, metadata changes pass it by, and requests for it
 * answer {@code KAFKA_STORAGE_ERROR} until the broker restarts (Kafka's offline partitions).
 *
 * <p>It also owns the two purgatories (delayed fetches and produces) and wakes them when a
 * partition changes, and runs the periodic checks of every partition: ISR shrinking and
 * producer-id expiration. Thread-safe.
 */
public final class ReplicaManager implements ClusterMetadataCache.Listener, PartitionListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);
    private static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    private final int brokerId;
    private final LogManager logManager;
    private final Clock clock;
    private final int defaultMinInsyncReplicas;
    private final long producerIdExpirationMs;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final Set<TopicPartition> offline = ConcurrentHashMap.newKeySet();
    private volatile ClusterSnapshot latest = ClusterSnapshot.EMPTY;
    private final ExecutorService metadataExecutor;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService partitionChecks;
    private final DelayedOperationPurgatory<DelayedOperation> fetchPurgatory;
    private final DelayedOperationPurgatory<DelayedOperation> producePurgatory;
    private final FollowerFetchController fetchers;
    private final IsrWriter isrWriter;

    /**
     * @param fetchers            starts and stops the follower fetchers on role changes
     * @param isrWriter           writes this broker's ISR proposals as leader
     * @param replicaLagTimeMaxMs {@code replica.lag.time.max.ms}: a follower that has not caught up
     *                            for this long leaves the ISR
     * @param producerState       {@code producer.id.expiration.ms} and how often it is checked
     */
    public ReplicaManager(
            int brokerId,
            LogManager logManager,
            Clock clock,
            int defaultMinInsyncReplicas,
            FollowerFetchController fetchers,
            IsrWriter isrWriter,
            long replicaLagTimeMaxMs,
            ProducerStateProperties producerState) {
        this.brokerId = brokerId;
        this.logManager = logManager;
        this.clock = clock;
        this.defaultMinInsyncReplicas = defaultMinInsyncReplicas;
        this.producerIdExpirationMs = producerState.producerIdExpiration().toMillis();
        this.fetchers = fetchers;
        this.isrWriter = isrWriter;
        this.metadataExecutor =
                Executors.newSingleThreadExecutor(ThreadUtils.createThreadFactory("replica-manager-metadata", true));
        this.timer =
                DelayedOperationPurgatory.newTimer(ThreadUtils.createThreadFactory("delayed-operation-timer", true));
        this.fetchPurgatory = new DelayedOperationPurgatory<>(timer);
        this.producePurgatory = new DelayedOperationPurgatory<>(timer);
        // its own thread: the checks take each partition's lock, which a slow append may hold, and
        // must not hold up the timeouts of parked fetches and produces on other partitions
        this.partitionChecks =
                Executors.newSingleThreadScheduledExecutor(ThreadUtils.createThreadFactory("partition-checks", true));
        long checkEvery = Math.max(100, replicaLagTimeMaxMs / 2);
        partitionChecks.scheduleWithFixedDelay(
                () -> shrinkIsrs(replicaLagTimeMaxMs), checkEvery, checkEvery, TimeUnit.MILLISECONDS);
        long expirationCheckEvery =
                producerState.producerIdExpirationCheckInterval().toMillis();
        partitionChecks.scheduleWithFixedDelay(
                this::removeExpiredProducers, expirationCheckEvery, expirationCheckEvery, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onChange(ClusterSnapshot snapshot) {
        try {
            metadataExecutor.execute(() -> apply(snapshot));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: other brokers leaving no longer concern this one
        }
    }

    /** Brings the local replicas in line with {@code snapshot}; runs on the metadata thread. */
    void apply(ClusterSnapshot snapshot) {
        latest = snapshot;
        Set<TopicPartition> assigned = new HashSet<>();
        for (TopicMetadata topic : snapshot.topics().values()) {
            topic.record().partitions().forEach((partition, replicas) -> {
                if (replicas.contains(brokerId)) {
                    TopicPartition tp = new TopicPartition(topic.name(), partition);
                    assigned.add(tp);
                    applyPartition(tp, topic, replicas);
                }
            });
        }
        if (!snapshot.initialized()) {
            return;
        }
        for (TopicPartition tp : List.copyOf(partitions.keySet())) {
            if (!assigned.contains(tp) && !offline.contains(tp)) {
                removePartition(tp, "it is no longer assigned to broker " + brokerId + " or its topic was deleted");
            }
        }
        for (PartitionLog stray : logManager.allLogs()) {
            if (!assigned.contains(stray.topicPartition()) && !offline.contains(stray.topicPartition())) {
                removePartition(stray.topicPartition(), "its topic no longer exists");
            }
        }
    }

    private void applyPartition(TopicPartition tp, TopicMetadata topic, List<Integer> replicas) {
        if (offline.contains(tp)) {
            return;
        }
        try {
            Uuid topicId = toUuid(topic);
            Partition partition = partitions.get(tp);
            if (partition != null && !partition.topicId().equals(topicId)) {
                removePartition(tp, "its topic was re-created with id " + topicId);
                partition = null;
            }
            // the broker's defaults (log.cleaner.* among them) under the topic's overrides
            LogConfig config = logManager
                    .config()
                    .defaultConfig()
                    .withOverrides(topic.record().configs());
            if (partition == null) {
                partition = createPartition(tp, topicId, config);
            } else {
                partition.updateConfig(config);
            }
            Optional<PartitionState> state = topic.state(tp.partition());
            if (state.isPresent()
                    && partition.applyState(
                            state.get(), topic.stateVersion(tp.partition()), replicas, minInsyncReplicas(topic))) {
                followOrLead(partition, state.get());
                // a role change completes waiting requests (with NOT_LEADER_OR_FOLLOWER when lost)
                onHighWatermarkChanged(tp);
            }
        } catch (KafkaStorageException e) {
            log.error("{} is offline: {}", tp, e.getMessage());
        } catch (RuntimeException e) {
            log.error("Could not apply the metadata of {}", tp, e);
        }
    }

    private void followOrLead(Partition partition, PartitionState state) {
        if (partition.isLeader() || state.leader() == PartitionState.NO_LEADER) {
            fetchers.unfollow(partition.topicPartition());
        } else {
            fetchers.follow(partition, state.leader(), state.leaderEpoch());
        }
    }

    /**
     * Stops serving the replicas of {@code topicPartitions}: their log directory is offline. Runs
     * on the metadata thread, after any metadata change already queued. Parked produces and
     * fetches on them are answered now ({@code KAFKA_STORAGE_ERROR}).
     */
    public void takeOffline(Collection<TopicPartition> topicPartitions) {
        offline.addAll(topicPartitions);
        try {
            metadataExecutor.execute(() -> topicPartitions.forEach(this::stopServing));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: nothing left to serve
        }
    }

    private void stopServing(TopicPartition tp) {
        Partition partition = partitions.remove(tp);
        if (partition != null) {
            partition.markOffline();
        }
        fetchers.unfollow(tp);
        onHighWatermarkChanged(tp);
    }

    @Override
    public boolean mayJoinIsr(TopicPartition topicPartition, int replicaId) {
        // a follower fetches before it registers (at start) and the controller drops unregistered
        // brokers from the ISR: adding it now would make the two undo each other's writes
        return latest.broker(replicaId)
                .map(b -> !b.isReplicaOffline(topicPartition.topic(), topicPartition.partition()))
                .orElse(false);
    }

    /** Leader side: followers that stopped keeping up leave the ISR. */
    private void shrinkIsrs(long replicaLagTimeMaxMs) {
        for (Partition partition : partitions.values()) {
            try {
                partition.maybeShrinkIsr(replicaLagTimeMaxMs);
            } catch (RuntimeException e) {
                log.error("ISR check of {} failed", partition.topicPartition(), e);
            }
        }
    }

    /** Every replica, leader or follower, forgets its idle producers (Kafka's PeriodicProducerExpirationCheck). */
    private void removeExpiredProducers() {
        for (Partition partition : partitions.values()) {
            try {
                partition.producerState().removeExpired();
            } catch (RuntimeException e) {
                log.error("Producer-id expiration check of {} failed", partition.topicPartition(), e);
            }
        }
    }

    @Override
    public void onIsrChangeProposed(Partition partition, PartitionState proposed, int expectedVersion) {
        TopicPartition tp = partition.topicPartition();
        isrWriter.write(tp, proposed, expectedVersion).whenComplete((version, failure) -> {
            if (failure == null) {
                partition.applyState(proposed, version, partition.replicas(), partition.minInsyncReplicas());
                log.info("{}: ISR is now {} (state version {})", tp, proposed.isr(), version);
                onHighWatermarkChanged(tp);
                return;
            }
            partition.isrChangeFailed();
            // a lost race: adopt what is in ZooKeeper instead of overwriting it
            log.info(
                    "{}: ISR change to {} not written ({}); re-reading the partition state",
                    tp,
                    proposed.isr(),
                    rootMessage(failure));
            isrWriter
                    .read(tp)
                    .thenAccept(current -> current.ifPresent(read -> {
                        if (partition.applyState(
                                read.state(), read.version(), partition.replicas(), partition.minInsyncReplicas())) {
                            followOrLead(partition, read.state());
                            onHighWatermarkChanged(tp);
                        }
                    }));
        });
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName();
    }

    /** Leader partitions whose ISR is smaller than their replica set. */
    public long underReplicatedCount() {
        return partitions.values().stream()
                .filter(Partition::isLeader)
                .filter(p -> p.isr().size() < p.replicas().size())
                .count();
    }

    /** Local replicas whose partition has no leader. */
    public long offlineCount() {
        return partitions.values().stream()
                .filter(p -> p.leaderId() == PartitionState.NO_LEADER)
                .count();
    }

    private Partition createPartition(TopicPartition tp, Uuid topicId, LogConfig config) {
        PartitionLog partitionLog;
        try {
            partitionLog = logManager.getOrCreateLog(tp, topicId, config);
        } catch (org.apache.kafka.common.errors.InconsistentTopicIdException e) {
            log.info("Deleting the log of {}: it belongs to an earlier topic of that name ({})", tp, e.getMessage());
            logManager.deleteLog(tp);
            partitionLog = logManager.getOrCreateLog(tp, topicId, config);
        }
        Partition partition = new Partition(tp, topicId, brokerId, partitionLog, clock, this, producerIdExpirationMs);
        partitions.put(tp, partition);
        return partition;
    }

    private void removePartition(TopicPartition tp, String why) {
        partitions.remove(tp);
        fetchers.unfollow(tp);
        if (logManager.deleteLog(tp)) {
            log.info("Deleted the log of {}: {}", tp, why);
        }
        onHighWatermarkChanged(tp);
    }

    private int minInsyncReplicas(TopicMetadata topic) {
        String configured = topic.record().configs().get(MIN_INSYNC_REPLICAS);
        try {
            return configured == null ? defaultMinInsyncReplicas : Integer.parseInt(configured.trim());
        } catch (NumberFormatException e) {
            return defaultMinInsyncReplicas;
        }
    }

    private static Uuid toUuid(TopicMetadata topic) {
        return new Uuid(
                topic.topicId().getMostSignificantBits(), topic.topicId().getLeastSignificantBits());
    }

    /**
     * The local replica of {@code tp}.
     *
     * @throws KafkaStorageException          when the replica here is in an offline log directory
     * @throws NotLeaderOrFollowerException   when the topic exists but this broker holds no replica
     * @throws UnknownTopicOrPartitionException when the partition does not exist here at all
     */
    public Partition partition(TopicPartition tp, boolean topicExists) {
        Partition partition = partitions.get(tp);
        if (partition != null && !offline.contains(tp)) {
            return partition;
        }
        if (offline.contains(tp)) {
            throw new KafkaStorageException(
                    "The replica of " + tp + " on broker " + brokerId + " is in an offline log directory");
        }
        if (topicExists) {
            throw new NotLeaderOrFollowerException("Broker " + brokerId + " holds no replica of " + tp);
        }
        throw new UnknownTopicOrPartitionException("Unknown topic or partition " + tp);
    }

    public Optional<Partition> localPartition(TopicPartition tp) {
        return offline.contains(tp) ? Optional.empty() : Optional.ofNullable(partitions.get(tp));
    }

    public Collection<Partition> partitions() {
        return partitions.values();
    }

    public void watchFetch(DelayedOperation fetch, long timeoutMs) {
        fetchPurgatory.tryCompleteElseWatch(fetch, timeoutMs);
    }

    public void watchProduce(DelayedOperation produce, long timeoutMs) {
        producePurgatory.tryCompleteElseWatch(produce, timeoutMs);
    }

    @Override
    public void onAppend(TopicPartition topicPartition) {
        // an append may satisfy parked fetches and, with one replica in the ISR, parked produces
        onHighWatermarkChanged(topicPartition);
    }

    @Override
    public void onHighWatermarkChanged(TopicPartition topicPartition) {
        producePurgatory.checkAndComplete(topicPartition);
        fetchPurgatory.checkAndComplete(topicPartition);
    }

    public int brokerId() {
        return brokerId;
    }

    @Override
    public void close() throws InterruptedException {
        fetchers.close();
        isrWriter.close();
        metadataExecutor.shutdown();
        metadataExecutor.awaitTermination(10, TimeUnit.SECONDS);
        // request handlers closed before this, fetchers just now: nothing appends any more
        for (Partition partition : partitions.values()) {
            try {
                partition.producerState().snapshotForShutdown();
            } catch (RuntimeException e) {
                log.warn("Producer snapshot of {} at shutdown failed: {}", partition.topicPartition(), e.toString());
            }
        }
        partitionChecks.shutdownNow();
        timer.shutdownNow();
    }
}
