package io.tributary.broker.partition;

import io.tributary.broker.producer.ProducerStateManager;
import io.tributary.broker.producer.ProducerStateManager.BatchMetadata;
import io.tributary.common.zk.PartitionState;
import io.tributary.storage.log.FetchDataInfo;
import io.tributary.storage.log.LogAppendInfo;
import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.LogOffsetMetadata;
import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.TimestampAndOffset;
import io.tributary.storage.log.epoch.EpochEndOffset;
import io.tributary.storage.log.index.AbortedTxn;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition replica on this broker: its log, its role (leader or follower) as the controller
 * last decided it, the followers' progress when leading, and the idempotent-producer state.
 *
 * <p>The leader advances the high watermark to the smallest log end offset across the ISR;
 * consumers read only below it, followers up to the log end. A produce with {@code acks=all}
 * is refused before it is appended when the ISR is smaller than {@code min.insync.replicas}.
 *
 * <p>Thread-safety, as Kafka's {@code leaderIsrUpdateLock}: role changes take the leadership write
 * lock; appends and followers' fetch updates share its read lock. Appends (and the follower-side
 * truncations and ISR proposals) also serialize on the partition's monitor, which an append holds
 * through its disk write; a follower's fetch update takes neither that monitor nor the log's lock
 * (the follower progress map and the log's high watermark are lock-free), so a slow append never
 * holds up the high watermark, the parked produces it completes, or a request-handler thread
 * updating other partitions. Lock order: leadership lock, then the monitor. Reads go to the
 * thread-safe {@link PartitionLog} without either.
 */
public final class Partition {

    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);

    /** Told when appends or the high watermark may complete delayed operations, and of ISR changes to write. */
    public interface Listener {
        void onAppend(TopicPartition topicPartition);

        void onHighWatermarkChanged(TopicPartition topicPartition);

        /**
         * The leader wants the ISR changed: write {@code proposed} with a compare-and-set on
         * {@code expectedVersion} of the state znode, then {@link #applyState} the result.
         */
        void onIsrChangeProposed(Partition partition, PartitionState proposed, int expectedVersion);
    }

    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final int localBrokerId;
    private final PartitionLog log;
    private final Clock clock;
    private final Listener listener;
    private final ProducerStateManager producers;
    private final FollowerProgress followers = new FollowerProgress();
    private final ReentrantReadWriteLock leadership = new ReentrantReadWriteLock();

    private volatile int leaderId = PartitionState.NO_LEADER;
    private volatile int leaderEpoch = -1;
    private volatile List<Integer> isr = List.of();
    private volatile List<Integer> replicas = List.of();
    private volatile int minInsyncReplicas = 1;
    private volatile int stateVersion = -1;
    private int controllerEpoch;
    private long leaderEpochStartOffset;
    private boolean isrChangeInFlight;

    public Partition(
            TopicPartition topicPartition,
            Uuid topicId,
            int localBrokerId,
            PartitionLog log,
            Clock clock,
            Listener listener) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.localBrokerId = localBrokerId;
        this.log = log;
        this.clock = clock;
        this.listener = listener;
        this.producers = new ProducerStateManager(topicPartition);
        producers.rebuild(log.batchesFrom(log.logStartOffset()));
    }

    /**
     * Applies the controller's state for this partition. States older than the one applied
     * (a lower leader epoch) are ignored.
     *
     * @return true when the state was applied
     */
    public boolean applyState(
            PartitionState state, int version, List<Integer> assignedReplicas, int minInsyncReplicas) {
        leadership.writeLock().lock();
        try {
            synchronized (this) {
                return applyStateLocked(state, version, assignedReplicas, minInsyncReplicas);
            }
        } finally {
            leadership.writeLock().unlock();
        }
    }

    private boolean applyStateLocked(
            PartitionState state, int version, List<Integer> assignedReplicas, int minInsyncReplicas) {
        this.minInsyncReplicas = minInsyncReplicas;
        this.replicas = List.copyOf(assignedReplicas);
        if (state.leaderEpoch() < leaderEpoch
                || (state.leaderEpoch() == leaderEpoch && version >= 0 && version < stateVersion)) {
            return false;
        }
        boolean newEpoch = state.leaderEpoch() > leaderEpoch;
        boolean wasLeader = isLeader();
        leaderId = state.leader();
        leaderEpoch = state.leaderEpoch();
        isr = state.isr();
        controllerEpoch = state.controllerEpoch();
        stateVersion = version;
        isrChangeInFlight = false;
        if (isLeader() && (newEpoch || !wasLeader)) {
            followers.reset(assignedReplicas, localBrokerId, clock.millis());
            leaderEpochStartOffset = log.logEndOffset();
            // as Kafka does: the new epoch starts at the log end even before its first append, so
            // OffsetsForLeaderEpoch for the current epoch answers the log end, not "undefined"
            log.leaderEpochCache().assign(leaderEpoch, leaderEpochStartOffset);
            LOG.info(
                    "{}: leader in epoch {} with ISR {} at log end offset {}",
                    topicPartition,
                    leaderEpoch,
                    isr,
                    log.logEndOffset());
        } else if (!isLeader() && (newEpoch || wasLeader)) {
            followers.clear();
            LOG.info("{}: follower of broker {} in epoch {}", topicPartition, leaderId, leaderEpoch);
        }
        maybeIncrementHighWatermark();
        return true;
    }

    /**
     * Appends a producer's batches as leader after the idempotence checks; a retried batch is
     * acknowledged with its original offsets and not appended again.
     *
     * @param requiredAcks the request's acks (-1 for all)
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, short requiredAcks) {
        leadership.readLock().lock();
        try {
            return appendAsLeaderLocked(records, requiredAcks);
        } finally {
            leadership.readLock().unlock();
        }
    }

    private LogAppendInfo appendAsLeaderLocked(MemoryRecords records, short requiredAcks) {
        LogAppendInfo info;
        synchronized (this) {
            if (!isLeader()) {
                throw new NotLeaderOrFollowerException("Broker " + localBrokerId + " is not the leader of "
                        + topicPartition + " (leader is " + leaderId + ")");
            }
            if (requiredAcks == -1 && isr.size() < minInsyncReplicas) {
                throw new NotEnoughReplicasException("The ISR " + isr + " of " + topicPartition
                        + " is smaller than min.insync.replicas=" + minInsyncReplicas);
            }
            Optional<LogAppendInfo> duplicate = duplicateOf(records);
            if (duplicate.isPresent()) {
                return duplicate.get();
            }
            info = log.appendAsLeader(records, leaderEpoch);
            for (MutableRecordBatch batch : records.batches()) {
                producers.update(batch);
            }
            maybeIncrementHighWatermark();
        }
        listener.onAppend(topicPartition);
        return info;
    }

    /** Validates idempotent batches; the earlier append's result when the request is a retry. */
    private Optional<LogAppendInfo> duplicateOf(MemoryRecords records) {
        Optional<BatchMetadata> duplicate = producers.retriedBatch(records.batches());
        if (duplicate.isEmpty()) {
            return Optional.empty();
        }
        BatchMetadata earlier = duplicate.get();
        LOG.debug(
                "{}: duplicate batch (sequences {}..{}) acknowledged at offset {}",
                topicPartition,
                earlier.firstSeq(),
                earlier.lastSeq(),
                earlier.firstOffset());
        return Optional.of(new LogAppendInfo(
                earlier.firstOffset(),
                earlier.lastOffset(),
                RecordBatch.NO_TIMESTAMP,
                earlier.firstOffset(),
                0,
                0,
                log.logStartOffset()));
    }

    /**
     * Reads for a consumer (up to the high watermark) or a follower (up to the log end).
     *
     * @param currentLeaderEpoch the epoch the client believes current, if it sent one
     */
    public FetchDataInfo read(
            long fetchOffset,
            int maxBytes,
            boolean forFollower,
            boolean minOneMessage,
            Optional<Integer> currentLeaderEpoch) {
        return read(fetchOffset, maxBytes, forFollower, false, minOneMessage, currentLeaderEpoch);
    }

    /**
     * Reads for a follower (up to the log end), a read_uncommitted consumer (up to the high
     * watermark) or a read_committed one (up to the last stable offset).
     */
    public FetchDataInfo read(
            long fetchOffset,
            int maxBytes,
            boolean forFollower,
            boolean readCommitted,
            boolean minOneMessage,
            Optional<Integer> currentLeaderEpoch) {
        checkLeaderOfEpoch(currentLeaderEpoch);
        long maxOffset = forFollower ? log.logEndOffset() : readCommitted ? lastStableOffset() : log.highWatermark();
        return log.read(fetchOffset, maxBytes, maxOffset, minOneMessage);
    }

    /**
     * The last stable offset: below it every transaction is decided. The high watermark, or the
     * first offset of the oldest open transaction when that is lower.
     */
    public long lastStableOffset() {
        return Math.min(producers.firstUnstableOffset(), log.highWatermark());
    }

    /**
     * The aborted transactions a read_committed fetch of {@code [fetchOffset, upperBound)} must
     * skip, read from the log's {@code .txnindex} files (they survive a restart).
     */
    public List<AbortedTxn> abortedTransactions(long fetchOffset, long upperBoundOffset) {
        return log.collectAbortedTransactions(fetchOffset, upperBoundOffset);
    }

    /**
     * WriteTxnMarkers on the leader: appends the COMMIT or ABORT control batch that closes
     * {@code producerId}'s transaction on this partition, in the current leader epoch.
     *
     * @throws NotLeaderOrFollowerException when this broker is not the leader
     * @throws org.apache.kafka.common.errors.InvalidProducerEpochException when the producer has a newer epoch
     */
    public LogAppendInfo appendTransactionMarker(
            long producerId, short producerEpoch, boolean commit, int coordinatorEpoch) {
        LogAppendInfo info;
        synchronized (this) {
            if (!isLeader()) {
                throw new NotLeaderOrFollowerException("Broker " + localBrokerId + " is not the leader of "
                        + topicPartition + " (leader is " + leaderId + ")");
            }
            producers.validateMarker(producerId, producerEpoch);
            MemoryRecords marker = MemoryRecords.withEndTransactionMarker(
                    clock.millis(),
                    producerId,
                    producerEpoch,
                    new EndTransactionMarker(
                            commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch));
            info = log.appendAsLeader(marker, leaderEpoch);
            for (MutableRecordBatch batch : marker.batches()) {
                producers.update(batch);
            }
            maybeIncrementHighWatermark();
        }
        listener.onAppend(topicPartition);
        return info;
    }

    /**
     * Where a read for a consumer (the high watermark) or a follower (the log end) would stop now,
     * with its segment and position: a parked fetch compares it with its fetch offset to count
     * the new bytes without reading the log. Throws what {@link #read} would throw.
     */
    public LogOffsetMetadata readableEnd(boolean forFollower, Optional<Integer> currentLeaderEpoch) {
        return readableEnd(forFollower, false, currentLeaderEpoch);
    }

    /** As {@link #readableEnd(boolean, Optional)}, ending at the last stable offset for read_committed. */
    public LogOffsetMetadata readableEnd(
            boolean forFollower, boolean readCommitted, Optional<Integer> currentLeaderEpoch) {
        checkLeaderOfEpoch(currentLeaderEpoch);
        if (forFollower) {
            return log.logEndOffsetMetadata();
        }
        LogOffsetMetadata highWatermark = log.highWatermarkMetadata();
        long lastStable = lastStableOffset();
        return readCommitted && lastStable < highWatermark.messageOffset()
                ? log.offsetMetadata(lastStable)
                : highWatermark;
    }

    private void checkLeaderOfEpoch(Optional<Integer> currentLeaderEpoch) {
        checkLeaderEpoch(currentLeaderEpoch);
        if (!isLeader()) {
            throw new NotLeaderOrFollowerException(
                    "Broker " + localBrokerId + " is not the leader of " + topicPartition);
        }
    }

    /** Throws the error Kafka answers when a client's view of the leader epoch is not ours. */
    public void checkLeaderEpoch(Optional<Integer> currentLeaderEpoch) {
        if (currentLeaderEpoch.isEmpty() || currentLeaderEpoch.get() == RecordBatch.NO_PARTITION_LEADER_EPOCH) {
            return;
        }
        int theirs = currentLeaderEpoch.get();
        if (theirs > leaderEpoch) {
            throw new UnknownLeaderEpochException(
                    "Epoch " + theirs + " is newer than " + leaderEpoch + " for " + topicPartition);
        }
        if (theirs < leaderEpoch) {
            throw new FencedLeaderEpochException(
                    "Epoch " + theirs + " is older than " + leaderEpoch + " for " + topicPartition);
        }
    }

    /**
     * Records how far a follower has fetched (its log end offset), moves the high watermark and,
     * when a follower outside the ISR has caught up, proposes adding it. Waits for no append: see
     * the class comment.
     */
    public void updateFollowerFetchState(int replicaId, long fetchOffset) {
        boolean moved;
        leadership.readLock().lock();
        try {
            if (!isLeader() || !followers.recordFetch(replicaId, fetchOffset, log.logEndOffset(), clock.millis())) {
                return;
            }
            moved = maybeIncrementHighWatermark();
        } finally {
            leadership.readLock().unlock();
        }
        if (moved) {
            listener.onHighWatermarkChanged(topicPartition);
        }
        if (!isr.contains(replicaId) && fetchOffset >= log.highWatermark()) {
            maybeExpandIsr(replicaId, fetchOffset);
        }
    }

    /** A follower outside the ISR has caught up: propose adding it (rare; takes the monitor). */
    private void maybeExpandIsr(int replicaId, long fetchOffset) {
        PartitionState expansion;
        int expectedVersion;
        synchronized (this) {
            if (!isLeader()
                    || isr.contains(replicaId)
                    || isrChangeInFlight
                    || fetchOffset < log.highWatermark()
                    || fetchOffset < leaderEpochStartOffset) {
                return;
            }
            List<Integer> expanded = new ArrayList<>(isr);
            expanded.add(replicaId);
            expansion = withIsr(expanded);
            isrChangeInFlight = true;
            expectedVersion = stateVersion;
        }
        LOG.info(
                "{}: follower {} caught up at offset {}; proposing ISR {}",
                topicPartition,
                replicaId,
                fetchOffset,
                expansion.isr());
        listener.onIsrChangeProposed(this, expansion, expectedVersion);
    }

    /**
     * Leader only: proposes removing followers that have not caught up within {@code maxLagMs}
     * ({@code replica.lag.time.max.ms}).
     */
    public void maybeShrinkIsr(long maxLagMs) {
        PartitionState shrunk;
        int expectedVersion;
        synchronized (this) {
            if (!isLeader() || isrChangeInFlight) {
                return;
            }
            List<Integer> lagging = followers.lagging(isr, localBrokerId, clock.millis(), maxLagMs);
            if (lagging.isEmpty()) {
                return;
            }
            List<Integer> remaining =
                    isr.stream().filter(replica -> !lagging.contains(replica)).toList();
            shrunk = withIsr(remaining);
            isrChangeInFlight = true;
            expectedVersion = stateVersion;
            LOG.info(
                    "{}: followers {} lag more than {} ms; proposing ISR {}",
                    topicPartition,
                    lagging,
                    maxLagMs,
                    remaining);
        }
        listener.onIsrChangeProposed(this, shrunk, expectedVersion);
    }

    /** The write of a proposed ISR change failed (lost race or ZooKeeper away); allow another. */
    public synchronized void isrChangeFailed() {
        isrChangeInFlight = false;
    }

    /** The applied state with another ISR; leader, epoch and controller epoch are kept. */
    private PartitionState withIsr(List<Integer> newIsr) {
        return new PartitionState(leaderId, leaderEpoch, List.copyOf(newIsr), controllerEpoch);
    }

    // ---- queries and admin on the leader ----

    /**
     * ListOffsets: the offset for {@code timestamp} as a leader answers it: the log start for
     * {@code EARLIEST}, the high watermark for {@code LATEST}, the record with the largest
     * timestamp for {@code MAX_TIMESTAMP}, otherwise the first offset whose timestamp is at least
     * {@code timestamp}. Records at or above the high watermark are never reported. Empty when
     * nothing matches (or for other special timestamps, such as tiered storage's).
     *
     * @throws NotLeaderOrFollowerException when this broker is not the leader
     * @throws FencedLeaderEpochException   (or {@link UnknownLeaderEpochException}) when the client's epoch is not ours
     */
    public Optional<TimestampAndOffset> offsetForTimestamp(long timestamp, Optional<Integer> currentLeaderEpoch) {
        return offsetForTimestamp(timestamp, false, currentLeaderEpoch);
    }

    /** As {@link #offsetForTimestamp(long, Optional)}, bounded by the last stable offset for read_committed. */
    public Optional<TimestampAndOffset> offsetForTimestamp(
            long timestamp, boolean readCommitted, Optional<Integer> currentLeaderEpoch) {
        checkLeaderOfEpoch(currentLeaderEpoch);
        long highWatermark = readCommitted ? lastStableOffset() : log.highWatermark();
        return LeaderOffsets.forTimestamp(log, leaderEpoch, timestamp, highWatermark);
    }

    /**
     * DeleteRecords on the leader: moves the log start offset up to {@code offset} (-1 means the
     * high watermark) and deletes the segments wholly below it. Takes the log's lock and may
     * delete files: not for an event loop.
     *
     * @return the log start offset (low watermark) after the call
     * @throws NotLeaderOrFollowerException when this broker is not the leader
     * @throws org.apache.kafka.common.errors.OffsetOutOfRangeException when {@code offset} is above
     *         the high watermark or below -1
     */
    public long deleteRecordsBefore(long offset) {
        if (!isLeader()) {
            throw new NotLeaderOrFollowerException(
                    "Broker " + localBrokerId + " is not the leader of " + topicPartition);
        }
        return log.deleteRecordsBefore(offset);
    }

    /**
     * OffsetsForLeaderEpoch: the largest epoch at most {@code requestedEpoch} that this replica
     * knows and the offset where it ends (the start of the next epoch, or the log end for the
     * latest), as Kafka answers it. A leader whose current epoch has no batch yet answers as if
     * its epoch cache held (current epoch, log end offset).
     */
    public EpochEndOffset endOffsetForEpoch(int requestedEpoch) {
        return EpochEndOffsets.endOffsetFor(log, isLeader() ? leaderEpoch : -1, requestedEpoch);
    }

    // ---- follower side ----

    /** Appends batches fetched from the leader, keeping their offsets and epochs. */
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        synchronized (this) {
            LogAppendInfo info = log.appendAsFollower(records);
            for (MutableRecordBatch batch : records.batches()) {
                producers.update(batch);
            }
            return info;
        }
    }

    /** Follower: the high watermark is the leader's, bounded by what this replica has. */
    public void updateFollowerHighWatermark(long leaderHighWatermark) {
        long bounded = Math.min(leaderHighWatermark, log.logEndOffset());
        if (bounded > log.highWatermark()) {
            log.updateHighWatermark(bounded);
        }
    }

    /** Follower: drops everything at and above {@code offset} (divergent or uncommitted history). */
    public synchronized void truncateTo(long offset) {
        if (log.truncateTo(offset)) {
            LOG.info("{}: truncated to offset {}", topicPartition, offset);
            producers.rebuild(log.batchesFrom(log.logStartOffset()));
        }
    }

    /** Follower: the leader's log starts past ours; restart empty at {@code offset}. */
    public synchronized void truncateFullyAndStartAt(long offset) {
        log.truncateFullyAndStartAt(offset);
        producers.rebuild(List.of());
        LOG.info("{}: truncated fully, starting at offset {}", topicPartition, offset);
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    public int stateVersion() {
        return stateVersion;
    }

    /**
     * Leader only: the high watermark is the smallest log end across the ISR. Caller holds the
     * leadership lock (read or write); the log's move is lock-free and forward only.
     */
    private boolean maybeIncrementHighWatermark() {
        if (!isLeader()) {
            return false;
        }
        long newHighWatermark = log.logEndOffset();
        for (int replica : isr) {
            if (replica != localBrokerId) {
                newHighWatermark = Math.min(newHighWatermark, followers.logEndOffset(replica));
            }
        }
        return log.maybeIncrementHighWatermark(newHighWatermark);
    }

    public boolean isLeader() {
        return leaderId == localBrokerId;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    /** The log itself, for this package's wiring and tests; callers elsewhere use the methods above. */
    PartitionLog log() {
        return log;
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    /** The latest leader epoch written to this replica's log, if any. */
    public OptionalInt latestEpoch() {
        return log.latestEpoch();
    }

    /** Applies the topic's new configuration; index sizes take effect at the next roll. */
    public void updateConfig(LogConfig config) {
        log.updateConfig(config);
    }

    public int leaderId() {
        return leaderId;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public List<Integer> isr() {
        return isr;
    }

    public List<Integer> replicas() {
        return replicas;
    }

    public long highWatermark() {
        return log.highWatermark();
    }

    @Override
    public String toString() {
        return topicPartition + "[leader=" + leaderId + ", epoch=" + leaderEpoch + ", isr=" + isr + "]";
    }
}
