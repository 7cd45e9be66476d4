package io.tributary.broker.partition;

import io.tributary.broker.producer.ProducerStateManager;
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
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.record.MemoryRecords;
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
 *
 * <p>Structure: this class is the facade and applies the controller's state; the role and its
 * checks are {@link ReplicaRole}'s, the followers' progress, high watermark and ISR proposals
 * {@link IsrManager}'s, the reads and offset queries {@link PartitionReads}', the leader's appends
 * {@link LeaderAppends}'. Two parts are handed out as they are: the follower's appends and
 * truncations ({@link #followerWrites()}, for the replica fetcher) and the upkeep of the producer
 * state ({@link #producerState()}). It tells its owner of changes through a {@link PartitionListener}.
 */
public final class Partition {

    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);

    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final int localBrokerId;
    private final PartitionLog log;
    private final ReplicaRole role;
    private final IsrManager isrManager;
    private final PartitionReads reads;
    private final LeaderAppends leaderAppends;
    private final FollowerWrites followerWrites;
    private final PartitionProducerState producerState;
    /** Its log directory went offline: it leads and follows no more (see ReplicaManager.takeOffline). */
    private volatile boolean offline;

    /** A partition whose producer ids expire after Kafka's default {@code producer.id.expiration.ms}. */
    public Partition(
            TopicPartition topicPartition,
            Uuid topicId,
            int localBrokerId,
            PartitionLog log,
            Clock clock,
            PartitionListener listener) {
        this(
                topicPartition,
                topicId,
                localBrokerId,
                log,
                clock,
                listener,
                ProducerStateManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    }

    /** @param producerIdExpirationMs {@code producer.id.expiration.ms}: see {@link PartitionProducerState#removeExpired} */
    public Partition(
            TopicPartition topicPartition,
            Uuid topicId,
            int localBrokerId,
            PartitionLog log,
            Clock clock,
            PartitionListener listener,
            long producerIdExpirationMs) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.localBrokerId = localBrokerId;
        this.log = log;
        ProducerStateManager producers =
                new ProducerStateManager(topicPartition, log.dir(), clock, producerIdExpirationMs);
        this.role = new ReplicaRole(topicPartition, localBrokerId);
        this.isrManager = new IsrManager(this, role, log, clock, listener);
        this.reads = new PartitionReads(role, log, producers);
        this.leaderAppends = new LeaderAppends(this, role, log, producers, isrManager, clock, listener);
        this.followerWrites = new FollowerWrites(this, log, producers);
        this.producerState = new PartitionProducerState(this, log, producers, clock);
        producers.load(log);
    }

    /**
     * Applies the controller's state for this partition. States older than the one applied
     * (a lower leader epoch) are ignored.
     *
     * @return true when the state was applied
     */
    public boolean applyState(
            PartitionState state, int version, List<Integer> assignedReplicas, int minInsyncReplicas) {
        role.leadership.writeLock().lock();
        try {
            synchronized (this) {
                return applyStateLocked(state, version, assignedReplicas, minInsyncReplicas);
            }
        } finally {
            role.leadership.writeLock().unlock();
        }
    }

    private boolean applyStateLocked(
            PartitionState state, int version, List<Integer> assignedReplicas, int minInsyncReplicas) {
        ReplicaRole.Change change = role.apply(state, version, assignedReplicas, minInsyncReplicas);
        if (change == ReplicaRole.Change.IGNORED) {
            return false;
        }
        if (change == ReplicaRole.Change.NEW_LEADERSHIP || change == ReplicaRole.Change.NEW_FOLLOWERSHIP) {
            // markers replicated while this replica followed did not drop them
            leaderAppends.clearVerificationGuards();
        }
        if (change == ReplicaRole.Change.NEW_LEADERSHIP) {
            isrManager.resetFollowers(assignedReplicas);
            role.leaderEpochStartOffset(log.logEndOffset());
            // as Kafka does: the new epoch starts at the log end even before its first append, so
            // OffsetsForLeaderEpoch for the current epoch answers the log end, not "undefined"
            log.leaderEpochCache().assign(role.leaderEpoch(), log.logEndOffset());
            LOG.info(
                    "{}: leader in epoch {} with ISR {} at log end offset {}",
                    topicPartition,
                    role.leaderEpoch(),
                    role.isr(),
                    log.logEndOffset());
        } else if (change == ReplicaRole.Change.NEW_FOLLOWERSHIP) {
            isrManager.clearFollowers();
            LOG.info("{}: follower of broker {} in epoch {}", topicPartition, role.leaderId(), role.leaderEpoch());
        }
        isrManager.maybeIncrementHighWatermark();
        return true;
    }

    /**
     * Appends a producer's batches as leader after the idempotence checks; a retried batch is
     * acknowledged with its original offsets and not appended again.
     *
     * @param requiredAcks the request's acks (-1 for all)
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, short requiredAcks) {
        return leaderAppends.appendAsLeader(records, requiredAcks, null);
    }

    /**
     * As {@link #appendAsLeader(MemoryRecords, short)} for a broker that verifies transactions: a
     * transactional batch that opens its producer's transaction here is refused with
     * {@code INVALID_TXN_STATE} unless {@code guard} (from {@link #startTransactionVerification},
     * then confirmed by the coordinator) is still the partition's guard for that producer.
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, short requiredAcks, VerificationGuard guard) {
        return leaderAppends.appendAsLeader(records, requiredAcks, guard);
    }

    /**
     * Begins the verification of a transactional produce (KIP-890 part 1): a guard to confirm with
     * the transaction coordinator when {@code producerId} has no open transaction here at
     * {@code producerEpoch} (a newer epoch begins a new transaction, transactions V2), else
     * {@link VerificationGuard#NOT_NEEDED}. Requests of the producer verified side by side share
     * the guard, and a batch past the lowest first sequence among them waits for that one.
     *
     * @param firstSequence the base sequence of the request's transactional batch
     * @throws NotLeaderOrFollowerException when this replica does not lead
     */
    public VerificationGuard startTransactionVerification(long producerId, short producerEpoch, int firstSequence) {
        return leaderAppends.startTransactionVerification(producerId, producerEpoch, firstSequence);
    }

    /** Drops a guard whose verification said the partition is not in the transaction (not on a retriable failure). */
    public void abandonTransactionVerification(VerificationGuard guard) {
        leaderAppends.abandonTransactionVerification(guard);
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
        return reads.read(fetchOffset, maxBytes, forFollower, readCommitted, minOneMessage, currentLeaderEpoch);
    }

    /**
     * The last stable offset: below it every transaction is decided. The high watermark, or the
     * first offset of the oldest open transaction when that is lower.
     */
    public long lastStableOffset() {
        return reads.lastStableOffset();
    }

    /**
     * The aborted transactions a read_committed fetch of {@code [fetchOffset, upperBound)} must
     * skip, read from the log's {@code .txnindex} files (they survive a restart).
     */
    public List<AbortedTxn> abortedTransactions(long fetchOffset, long upperBoundOffset) {
        return reads.abortedTransactions(fetchOffset, upperBoundOffset);
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
        return leaderAppends.appendTransactionMarker(producerId, producerEpoch, commit, coordinatorEpoch);
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
        return reads.readableEnd(forFollower, readCommitted, currentLeaderEpoch);
    }

    /** Throws the error Kafka answers when a client's view of the leader epoch is not ours. */
    public void checkLeaderEpoch(Optional<Integer> currentLeaderEpoch) {
        role.checkLeaderEpoch(currentLeaderEpoch);
    }

    /**
     * Records how far a follower has fetched (its log end offset), moves the high watermark and,
     * when a follower outside the ISR has caught up, proposes adding it. Waits for no append: see
     * the class comment.
     */
    public void updateFollowerFetchState(int replicaId, long fetchOffset) {
        isrManager.updateFollowerFetchState(replicaId, fetchOffset);
    }

    /**
     * Leader only: proposes removing followers that have not caught up within {@code maxLagMs}
     * ({@code replica.lag.time.max.ms}).
     */
    public void maybeShrinkIsr(long maxLagMs) {
        isrManager.maybeShrinkIsr(maxLagMs);
    }

    /** The write of a proposed ISR change failed (lost race or ZooKeeper away); allow another. */
    public void isrChangeFailed() {
        isrManager.isrChangeFailed();
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
        return reads.offsetForTimestamp(timestamp, readCommitted, currentLeaderEpoch);
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
        role.ensureLeader();
        return log.retention().deleteRecordsBefore(offset);
    }

    /**
     * OffsetsForLeaderEpoch: the largest epoch at most {@code requestedEpoch} that this replica
     * knows and the offset where it ends (the start of the next epoch, or the log end for the
     * latest), as Kafka answers it. A leader whose current epoch has no batch yet answers as if
     * its epoch cache held (current epoch, log end offset).
     */
    public EpochEndOffset endOffsetForEpoch(int requestedEpoch) {
        return reads.endOffsetForEpoch(requestedEpoch);
    }

    /** The follower's writes: the leader's batches, its high watermark, truncations; for the replica fetcher. */
    public FollowerWrites followerWrites() {
        return followerWrites;
    }

    /** Producer expiration, count and shutdown snapshot, for the broker's periodic tasks. */
    public PartitionProducerState producerState() {
        return producerState;
    }

    public int minInsyncReplicas() {
        return role.minInsyncReplicas();
    }

    public int stateVersion() {
        return role.stateVersion();
    }

    public boolean isLeader() {
        return !offline && role.isLeader();
    }

    /** True once its log directory went offline; it stays so until the broker restarts. */
    public boolean isOffline() {
        return offline;
    }

    void markOffline() {
        offline = true;
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
        return log.leaderEpochCache().latestEpoch();
    }

    /** Applies the topic's new configuration; index sizes take effect at the next roll. */
    public void updateConfig(LogConfig config) {
        log.updateConfig(config);
    }

    public int leaderId() {
        return role.leaderId();
    }

    public int leaderEpoch() {
        return role.leaderEpoch();
    }

    public List<Integer> isr() {
        return role.isr();
    }

    public List<Integer> replicas() {
        return role.replicas();
    }

    public long highWatermark() {
        return log.highWatermark().offset();
    }

    @Override
    public String toString() {
        return topicPartition + "[leader=" + role.leaderId() + ", epoch=" + role.leaderEpoch() + ", isr=" + role.isr()
                + "]";
    }
}
