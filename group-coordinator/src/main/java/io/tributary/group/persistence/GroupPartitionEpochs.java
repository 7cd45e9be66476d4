package io.tributary.group.persistence;

import io.tributary.common.zk.GroupPartitionOwner;
import java.util.Optional;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's half of the {@link WriteFence}: the {@code group_partition_epoch} row of a group's
 * partition, raised to the writer's ownership epoch inside the write's transaction, or the write
 * refused if a higher epoch has written the partition. ZooKeeper epochs only grow per partition,
 * so the stored epoch is that of the newest owner that wrote. Stateless; thread-safe.
 */
public final class GroupPartitionEpochs {

    private static final Logger log = LoggerFactory.getLogger(GroupPartitionEpochs.class);

    private final GroupPartitionEpochRepository epochs;

    public GroupPartitionEpochs(GroupPartitionEpochRepository epochs) {
        this.epochs = epochs;
    }

    /**
     * Records that {@code epoch} writes {@code groupId}'s partition; call inside the write's
     * transaction. The updated row stays locked until it ends, which serialises the partition's
     * writes. Two first writes of a partition racing fail one insert, which the caller retries; a
     * write that finds the row inserted by a racing first write of its own epoch goes on.
     *
     * @throws NotCoordinatorException if a higher epoch has written the partition
     */
    public void advance(String groupId, long epoch) {
        int partition = GroupPartitionOwner.partitionOf(groupId);
        if (epochs.advance(partition, epoch) == 1) {
            return;
        }
        Optional<Long> stored = epochs.findOwnerEpoch(partition);
        if (stored.isEmpty()) {
            epochs.save(new GroupPartitionEpochEntity(partition, epoch));
            return;
        }
        // the row was missing at the update and is there now: a racing first write of the same
        // (or an older) epoch inserted it, which does not fence this one
        if (stored.get() <= epoch && epochs.advance(partition, epoch) == 1) {
            return;
        }
        log.warn(
                "Group {}: write at epoch {} refused, partition {} was written at epoch {} by its new owner",
                groupId,
                epoch,
                partition,
                stored.get());
        throw new NotCoordinatorException("Group " + groupId + " is served by a newer coordinator (partition "
                + partition + " epoch " + stored.get() + " > " + epoch + ")");
    }
}
