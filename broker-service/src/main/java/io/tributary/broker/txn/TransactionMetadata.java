package io.tributary.broker.txn;

import io.tributary.common.zk.GroupPartitionOwner;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.RecordBatch;

/**
 * What the coordinator knows of one transactional id: its producer id and epoch, the state of
 * its current (or last) transaction and the partitions in it. Immutable: each transition makes a
 * new one, which is written to {@code __transaction_state} before it replaces the old.
 *
 * <p>Transactions V2 (KIP-890 part 2) bump the epoch with every EndTxn v5, so that a producer
 * retrying an end whose answer it lost carries the epoch before the bump. Three fields, Kafka's
 * tagged fields of {@code TransactionLogValue} v1, let any coordinator that loads the state
 * recognise such a retry: {@code clientTransactionVersion} says the current Prepare/Complete state
 * was decided by a V2 end (so its epoch is the request's plus one), {@code nextProducerId} is the
 * producer id a decided V2 end goes on with when the epochs of {@code producerId} ran out (the
 * markers are still written with the old id, at epoch {@link Short#MAX_VALUE}), and
 * {@code prevProducerId} is the id such an end moved away from once it is complete.
 *
 * @param groups        the consumer groups whose offsets the transaction commits (AddOffsetsToTxn)
 * @param timeoutMs     the producer's {@code transaction.timeout.ms}
 * @param startMs       when the open transaction added its first partition
 * @param lastUpdateMs  when the state last changed
 * @param prevProducerId the producer id of the producer before a V2 end ran out of epochs, else -1
 * @param nextProducerId in a state prepared by a V2 end that ran out of epochs, the producer's new id, else -1
 * @param clientTransactionVersion 2 when the Prepare/Complete state was decided by a V2 end (EndTxn
 *                      v5), else 0 (Kafka's {@code TransactionVersion} of the client)
 */
public record TransactionMetadata(
        String transactionalId,
        long producerId,
        short producerEpoch,
        int timeoutMs,
        TransactionState state,
        Set<TopicPartition> partitions,
        Set<String> groups,
        long startMs,
        long lastUpdateMs,
        long prevProducerId,
        long nextProducerId,
        short clientTransactionVersion) {

    /** Kafka's {@code TransactionVersion} of a client that ends with EndTxn v5 and a bump. */
    static final short TRANSACTIONS_V2 = 2;
    /** Kafka's {@code TransactionVersion} written for a state no V2 end decided. */
    static final short NO_TRANSACTION_VERSION = 0;

    public TransactionMetadata {
        partitions = Set.copyOf(partitions);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    /** A state no V2 end decided: no previous or next producer id. */
    public TransactionMetadata(
            String transactionalId,
            long producerId,
            short producerEpoch,
            int timeoutMs,
            TransactionState state,
            Set<TopicPartition> partitions,
            Set<String> groups,
            long startMs,
            long lastUpdateMs) {
        this(
                transactionalId,
                producerId,
                producerEpoch,
                timeoutMs,
                state,
                partitions,
                groups,
                startMs,
                lastUpdateMs,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_ID,
                NO_TRANSACTION_VERSION);
    }

    TransactionMetadata withState(TransactionState newState, long nowMs) {
        Set<TopicPartition> kept = newState.isIdle() ? Set.of() : partitions;
        Set<String> keptGroups = newState.isIdle() ? Set.of() : groups;
        return new TransactionMetadata(
                transactionalId,
                producerId,
                producerEpoch,
                timeoutMs,
                newState,
                kept,
                keptGroups,
                startMs,
                nowMs,
                prevProducerId,
                nextProducerId,
                clientTransactionVersion);
    }

    /** A new producer id or epoch handed out (InitProducerId) or forced (fencing): no V2 end to recognise. */
    TransactionMetadata withEpoch(long newProducerId, short newEpoch, int newTimeoutMs, long nowMs) {
        return new TransactionMetadata(
                transactionalId, newProducerId, newEpoch, newTimeoutMs, state, partitions, groups, startMs, nowMs);
    }

    /**
     * The transaction decided by a V2 end (EndTxn v5, KIP-890 part 2): {@code prepare} at the
     * next epoch, which the markers carry; with {@code newProducerId} (not -1) the producer goes on
     * with that id once the markers are written, the epochs of this one being used up.
     */
    TransactionMetadata decidedWithBump(TransactionState prepare, long newProducerId, long nowMs) {
        return new TransactionMetadata(
                transactionalId,
                producerId,
                nextEpoch(),
                timeoutMs,
                prepare,
                partitions,
                groups,
                startMs,
                nowMs,
                prevProducerId,
                newProducerId,
                TRANSACTIONS_V2);
    }

    /**
     * The epoch that fences this one for the same producer id, capped at {@link Short#MAX_VALUE}
     * (an open transaction's epoch is at most one below it, so the markers' bump always fits).
     */
    short nextEpoch() {
        return (short) Math.min(Short.MAX_VALUE, producerEpoch + 1);
    }

    /**
     * The Complete state of a prepared transaction; a V2 end that ran out of epochs moves to its
     * next producer id at epoch 0 and remembers the old one, so a retry of that end is recognised.
     */
    TransactionMetadata completed(long nowMs) {
        TransactionState complete = state == TransactionState.PREPARE_COMMIT
                ? TransactionState.COMPLETE_COMMIT
                : TransactionState.COMPLETE_ABORT;
        if (nextProducerId == RecordBatch.NO_PRODUCER_ID) {
            return withState(complete, nowMs);
        }
        return new TransactionMetadata(
                transactionalId,
                nextProducerId,
                (short) 0,
                timeoutMs,
                complete,
                Set.of(),
                Set.of(),
                startMs,
                nowMs,
                producerId,
                RecordBatch.NO_PRODUCER_ID,
                clientTransactionVersion);
    }

    /**
     * Whether an EndTxn v5 of {@code requestProducerId} at {@code requestEpoch} repeats the V2 end
     * that decided this state (its answer was lost): the same decision, and this state's epoch is
     * the request's plus one, or the end ran out of epochs and moved the producer from the
     * request's id at the last epoch a client may hold to a new id at epoch 0 (Kafka's
     * {@code retryOnEpochBump} and {@code retryOnOverflow}). Any later transition (a new
     * transaction, InitProducerId, fencing) leaves a state that no longer matches.
     */
    boolean isRetryOfEnd(long requestProducerId, short requestEpoch, boolean commit) {
        boolean sameDecision = commit
                ? state == TransactionState.PREPARE_COMMIT || state == TransactionState.COMPLETE_COMMIT
                : state == TransactionState.PREPARE_ABORT || state == TransactionState.COMPLETE_ABORT;
        if (clientTransactionVersion < TRANSACTIONS_V2 || !sameDecision) {
            return false;
        }
        boolean bumped = requestProducerId == producerId && producerEpoch == requestEpoch + 1;
        boolean overflowed = requestProducerId == prevProducerId
                && requestEpoch == Short.MAX_VALUE - 1
                && producerEpoch == 0
                && !state.isPreparing();
        return bumped || overflowed;
    }

    /** The producer id the producer goes on with: the next one while a V2 end that ran out of epochs is being completed. */
    long continuingProducerId() {
        return nextProducerId == RecordBatch.NO_PRODUCER_ID ? producerId : nextProducerId;
    }

    /** The epoch the producer goes on with (0 on a new producer id). */
    short continuingProducerEpoch() {
        return nextProducerId == RecordBatch.NO_PRODUCER_ID ? producerEpoch : 0;
    }

    TransactionMetadata withPartitions(Set<TopicPartition> added, long nowMs) {
        Set<TopicPartition> all = new HashSet<>(partitions);
        all.addAll(added);
        Set<String> keptGroups = state == TransactionState.ONGOING ? groups : Set.of();
        return ongoing(all, keptGroups, nowMs);
    }

    /** The transaction (begun now if none is open) with {@code groupId}'s offsets in it (AddOffsetsToTxn). */
    TransactionMetadata withGroup(String groupId, long nowMs) {
        Set<String> all = new HashSet<>(state == TransactionState.ONGOING ? groups : Set.of());
        all.add(groupId);
        return ongoing(state == TransactionState.ONGOING ? partitions : Set.of(), all, nowMs);
    }

    private TransactionMetadata ongoing(Set<TopicPartition> inTxn, Set<String> groupsInTxn, long nowMs) {
        long start = state == TransactionState.ONGOING ? startMs : nowMs;
        return new TransactionMetadata(
                transactionalId,
                producerId,
                producerEpoch,
                timeoutMs,
                TransactionState.ONGOING,
                inTxn,
                groupsInTxn,
                start,
                nowMs,
                prevProducerId,
                RecordBatch.NO_PRODUCER_ID,
                NO_TRANSACTION_VERSION);
    }

    /**
     * Where the transaction's markers go: its partitions, and for each group its pseudo-partition
     * {@code __consumer_offsets-p} (p = the group's partition), as Kafka lists them.
     */
    public Set<TopicPartition> markerPartitions() {
        Set<TopicPartition> all = new HashSet<>(partitions);
        groups.forEach(group -> all.add(new TopicPartition(
                GroupPartitionOwner.TRANSACTION_MARKER_TOPIC, GroupPartitionOwner.partitionOf(group))));
        return all;
    }

    boolean hasExpired(long nowMs) {
        return state == TransactionState.ONGOING && nowMs - startMs > timeoutMs;
    }
}
