package io.tributary.broker.partition;

import io.tributary.broker.producer.ProducerStateManager;
import io.tributary.broker.producer.ProducerStateManager.BatchMetadata;
import io.tributary.storage.log.LogAppendInfo;
import io.tributary.storage.log.PartitionLog;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's appends to a partition: a producer's batches (after {@code min.insync.replicas}
 * and the idempotence checks; a retried batch is acknowledged with its original offsets) and the
 * transaction markers of WriteTxnMarkers. Each moves the producer state and the high watermark
 * and tells the listener.
 *
 * <p>Transaction verification (KIP-890 part 1): a producer's first transactional batch on the
 * partition is appended only with the {@link VerificationGuard} this class handed out before the
 * coordinator was asked, and only while the partition still holds it; a marker of that producer
 * or a new leadership drops its guard.
 *
 * <p>Thread-safety: see {@link Partition}; an append holds the leadership read lock (producer
 * batches) and the partition's monitor, passed in as {@code monitor}, through its disk write.
 */
final class LeaderAppends {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderAppends.class);

    private final Object monitor;
    private final TopicPartition topicPartition;
    private final ReplicaRole role;
    private final PartitionLog log;
    private final ProducerStateManager producers;
    private final IsrManager isrManager;
    private final Clock clock;
    private final PartitionListener listener;
    /** The verifications in flight: producer id to its guard; guarded by {@code monitor}. */
    private final Map<Long, VerificationGuard> verificationGuards = new HashMap<>();

    LeaderAppends(
            Partition partition,
            ReplicaRole role,
            PartitionLog log,
            ProducerStateManager producers,
            IsrManager isrManager,
            Clock clock,
            PartitionListener listener) {
        this.monitor = partition;
        this.topicPartition = partition.topicPartition();
        this.role = role;
        this.log = log;
        this.producers = producers;
        this.isrManager = isrManager;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * @param guard the verification of the request's transactional batch, {@code null} when the
     *              broker does not verify transactions
     */
    LogAppendInfo appendAsLeader(MemoryRecords records, short requiredAcks, VerificationGuard guard) {
        role.leadership.readLock().lock();
        try {
            return appendAsLeaderLocked(records, requiredAcks, guard);
        } finally {
            role.leadership.readLock().unlock();
        }
    }

    /**
     * The guard to verify with when {@code producerId} has no open transaction here, else {@link
     * VerificationGuard#NOT_NEEDED}: the one the partition holds for the same epoch (shared, so
     * that it knows the lowest first sequence among the producer's verified batches), or a new one.
     */
    VerificationGuard startTransactionVerification(long producerId, short producerEpoch, int firstSequence) {
        synchronized (monitor) {
            role.ensureLeader();
            if (producers.hasOngoingTransaction(producerId, producerEpoch)) {
                return VerificationGuard.NOT_NEEDED;
            }
            VerificationGuard pending = verificationGuards.get(producerId);
            if (pending != null && pending.producerEpoch() == producerEpoch) {
                pending.share(firstSequence);
                return pending;
            }
            VerificationGuard guard = new VerificationGuard(producerId, producerEpoch, firstSequence);
            verificationGuards.put(producerId, guard);
            return guard;
        }
    }

    /**
     * Drops {@code guard}: the coordinator said the partition is not in the producer's transaction
     * (the transaction ended), unless a newer verification replaced it. A verification that failed
     * retriably keeps its guard, with the lowest sequence the producer will send again.
     */
    void abandonTransactionVerification(VerificationGuard guard) {
        synchronized (monitor) {
            verificationGuards.remove(guard.producerId(), guard);
        }
    }

    /** Drops every guard: called under the monitor when leadership changes hands. */
    void clearVerificationGuards() {
        verificationGuards.clear();
    }

    LogAppendInfo appendTransactionMarker(long producerId, short producerEpoch, boolean commit, int coordinatorEpoch) {
        LogAppendInfo info;
        synchronized (monitor) {
            role.ensureLeader();
            producers.validateMarker(producerId, producerEpoch);
            // a verification begun before this marker answers for the transaction it ends, unless
            // the marker bumps the epoch (transactions V2) to the very epoch the verification is for:
            // that batch begins the next transaction, and the coordinator answers for it
            VerificationGuard pending = verificationGuards.get(producerId);
            boolean forNextTransaction = pending != null
                    && producerEpoch > producers.epochOf(producerId)
                    && pending.producerEpoch() == producerEpoch;
            if (!forNextTransaction) {
                verificationGuards.remove(producerId);
            }
            MemoryRecords marker = MemoryRecords.withEndTransactionMarker(
                    clock.millis(),
                    producerId,
                    producerEpoch,
                    new EndTransactionMarker(
                            commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch));
            long activeSegment = ProducerStateManager.activeSegmentBaseOffset(log);
            info = log.appendAsLeader(marker, role.leaderEpoch());
            producers.appended(marker.batches(), activeSegment, log);
            isrManager.maybeIncrementHighWatermark();
        }
        listener.onAppend(topicPartition);
        return info;
    }

    private LogAppendInfo appendAsLeaderLocked(MemoryRecords records, short requiredAcks, VerificationGuard guard) {
        LogAppendInfo info;
        synchronized (monitor) {
            info = appendUnderMonitor(records, requiredAcks, guard);
        }
        listener.onAppend(topicPartition);
        return info;
    }

    /** The append itself, under the monitor. */
    private LogAppendInfo appendUnderMonitor(MemoryRecords records, short requiredAcks, VerificationGuard guard) {
        role.ensureLeader();
        List<Integer> isr = role.isr();
        if (requiredAcks == -1 && isr.size() < role.minInsyncReplicas()) {
            throw new NotEnoughReplicasException("The ISR " + isr + " of " + topicPartition
                    + " is smaller than min.insync.replicas=" + role.minInsyncReplicas());
        }
        Optional<LogAppendInfo> duplicate = duplicateOf(records);
        if (duplicate.isPresent()) {
            return duplicate.get();
        }
        if (guard != null) {
            requireVerified(records, guard);
        }
        long activeSegment = ProducerStateManager.activeSegmentBaseOffset(log);
        LogAppendInfo info = log.appendAsLeader(records, role.leaderEpoch());
        producers.appended(records.batches(), activeSegment, log);
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.isTransactional()) {
                verificationGuards.remove(batch.producerId()); // its transaction is open here now
            }
        }
        isrManager.maybeIncrementHighWatermark();
        return info;
    }

    /**
     * A transactional batch that would open its producer's transaction here must come with the
     * guard the partition still holds for that producer (Kafka's check in {@code UnifiedLog}).
     */
    private void requireVerified(MemoryRecords records, VerificationGuard guard) {
        for (MutableRecordBatch batch : records.batches()) {
            if (!batch.isTransactional()
                    || batch.isControlBatch()
                    || producers.hasOngoingTransaction(batch.producerId(), batch.producerEpoch())) {
                continue;
            }
            if (verificationGuards.get(batch.producerId()) != guard) {
                throw new InvalidTxnStateException("The transaction of producer " + batch.producerId() + " epoch "
                        + batch.producerEpoch() + " was not verified to include " + topicPartition
                        + " (it ended, or was never begun)");
            }
            // the earlier batch, verified side by side, goes first (the producer retries in order)
            if (batch.baseSequence() > guard.lowestSequence()) {
                throw new OutOfOrderSequenceException("Producer " + batch.producerId() + " sent sequence "
                        + batch.baseSequence() + " on " + topicPartition + " before its sequence "
                        + guard.lowestSequence() + ", whose transaction verification is pending or failed");
            }
        }
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
}
