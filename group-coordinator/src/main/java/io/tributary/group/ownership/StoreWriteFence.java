package io.tributary.group.ownership;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.persistence.GroupPartitionEpochs;
import io.tributary.group.persistence.WriteFence;
import org.apache.kafka.common.errors.NotCoordinatorException;

/**
 * {@link WriteFence} of this instance: a write carries the epoch of this instance's claim of the
 * group's partition ({@link GroupOwnership}) and is checked against the store's
 * {@link GroupPartitionEpochs}. Thread-safe.
 */
public final class StoreWriteFence implements WriteFence {

    private final GroupOwnership ownership;
    private final GroupPartitionEpochs epochs;

    public StoreWriteFence(GroupOwnership ownership, GroupPartitionEpochs epochs) {
        this.ownership = ownership;
        this.epochs = epochs;
    }

    @Override
    public long epochOf(String groupId) {
        Long epoch = ownership.epochOf(GroupPartitionOwner.partitionOf(groupId));
        if (epoch == null) {
            throw new NotCoordinatorException("This coordinator does not serve group " + groupId);
        }
        return epoch;
    }

    @Override
    public void check(String groupId, long epoch) {
        epochs.advance(groupId, epoch);
    }
}
