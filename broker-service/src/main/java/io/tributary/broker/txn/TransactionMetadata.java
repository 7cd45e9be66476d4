package io.tributary.broker.txn;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * What the coordinator knows of one transactional id: its producer id and epoch, the state of
 * its current (or last) transaction and the partitions in it. Immutable: each transition makes a
 * new one, which is written to {@code __transaction_state} before it replaces the old.
 *
 * @param timeoutMs     the producer's {@code transaction.timeout.ms}
 * @param startMs       when the open transaction added its first partition
 * @param lastUpdateMs  when the state last changed
 */
public record TransactionMetadata(
        String transactionalId,
        long producerId,
        short producerEpoch,
        int timeoutMs,
        TransactionState state,
        Set<TopicPartition> partitions,
        long startMs,
        long lastUpdateMs) {

    public TransactionMetadata {
        partitions = Set.copyOf(partitions);
    }

    TransactionMetadata withState(TransactionState newState, long nowMs) {
        Set<TopicPartition> kept = newState.isIdle() ? Set.of() : partitions;
        return new TransactionMetadata(
                transactionalId, producerId, producerEpoch, timeoutMs, newState, kept, startMs, nowMs);
    }

    TransactionMetadata withEpoch(long newProducerId, short newEpoch, int newTimeoutMs, long nowMs) {
        return new TransactionMetadata(
                transactionalId, newProducerId, newEpoch, newTimeoutMs, state, partitions, startMs, nowMs);
    }

    TransactionMetadata withPartitions(Set<TopicPartition> added, long nowMs) {
        Set<TopicPartition> all = new HashSet<>(partitions);
        all.addAll(added);
        long start = state == TransactionState.ONGOING ? startMs : nowMs;
        return new TransactionMetadata(
                transactionalId, producerId, producerEpoch, timeoutMs, TransactionState.ONGOING, all, start, nowMs);
    }

    boolean hasExpired(long nowMs) {
        return state == TransactionState.ONGOING && nowMs - startMs > timeoutMs;
    }
}
