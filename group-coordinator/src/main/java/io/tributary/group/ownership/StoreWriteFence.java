package io.tributary.group.ownership;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.persistence.GroupPartitionEpochEntity;
import io.tributary.group.persistence.GroupPartitionEpochRepository;
import io.tributary.group.persistence.WriteFence;
import java.util.Optional;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WriteFence} on the {@code group_partition_epoch} table and this instance's
 * {@link GroupOwnership}: a write carries the epoch of the claim that accepted it, and its
 * transaction raises the partition's stored epoch to it, or fails if the stored one is higher
 * (another instance claimed the partition since and wrote). ZooKeeper epochs only grow per
 * partition, so the stored epoch is the newest owner's that wrote. Thread-safe.
 */
public final class StoreWriteFence implements WriteFence {

    private static final Logger log = LoggerFactory.getLogger(StoreWriteFence.class);

    private final GroupOwnership ownership;
    private final GroupPartitionEpochRepository epochs;

    public StoreWriteFence(GroupOwnership ownership, GroupPartitionEpochRepository epochs) {
        this.ownership = ownership;
        this.epochs = epochs;
    }

    @Override
    public long epochOf(String groupId) {
        Long epoch = ownership.ownedPartitions().get(GroupPartitionOwner.partitionOf(groupId));
        if (epoch == null) {
            throw new NotCoordinatorException("This coordinator does not serve group " + groupId);
        }
        return epoch;
    }

    @Override
    public void check(String groupId, long epoch) {
        int partition = GroupPartitionOwner.partitionOf(groupId);
        if (epochs.advance(partition, epoch) == 1) {
            return;
        }
        Optional<GroupPartitionEpochEntity> row = epochs.findById(partition);
        if (row.isEmpty()) {
            // the partition's first write; two racing here fail one insert, which the caller retries
            epochs.save(new GroupPartitionEpochEntity(partition, epoch));
            return;
        }
        log.warn(
                "Group {}: write at epoch {} refused, partition {} was written at epoch {} by its new owner",
                groupId,
                epoch,
                partition,
                row.get().getOwnerEpoch());
        throw new NotCoordinatorException("Group " + groupId + " is served by a newer coordinator (partition "
                + partition + " epoch " + row.get().getOwnerEpoch() + " > " + epoch + ")");
    }
}
