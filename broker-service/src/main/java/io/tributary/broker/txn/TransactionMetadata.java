package io.tributary.broker.txn;

import io.tributary.common.zk.GroupPartitionOwner;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * What the coordinator knows of one transactional id: its producer id and epoch, the state of
 * its current (or last) transaction and the partitions in it. Immutable: each transition makes a
 * new one, which is written to {@code __transaction_state} before it replaces the old.
 *
 * @param groups        the consumer groups whose offsets the transaction commits (AddOffsetsToTxn)
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
        Set<String> groups,
        long startMs,
        long lastUpdateMs) {

    public TransactionMetadata {
        partitions = Set.copyOf(partitions);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    TransactionMetadata withState(TransactionState newState, long nowMs) {
        Set<TopicPartition> kept = newState.isIdle() ? Set.of() : partitions;
        Set<String> keptGroups = newState.isIdle() ? Set.of() : groups;
        return new TransactionMetadata(
                transactionalId, producerId, producerEpoch, timeoutMs, newState, kept, keptGroups, startMs, nowMs);
    }

    TransactionMetadata withEpoch(long newProducerId, short newEpoch, int newTimeoutMs, long nowMs) {
        return new TransactionMetadata(
                transactionalId, newProducerId, newEpoch, newTimeoutMs, state, partitions, groups, startMs, nowMs);
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
                nowMs);
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
