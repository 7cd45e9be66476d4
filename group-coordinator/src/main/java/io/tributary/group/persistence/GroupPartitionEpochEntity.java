package io.tributary.group.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code group_partition_epoch}: the ownership epoch that last wrote a group partition. */
@Entity
@Table(name = "group_partition_epoch")
public class GroupPartitionEpochEntity {

    @Id
    @Column(name = "partition_index")
    private int partition;

    @Column(name = "owner_epoch", nullable = false)
    private long ownerEpoch;

    protected GroupPartitionEpochEntity() {}

    public GroupPartitionEpochEntity(int partition, long ownerEpoch) {
        this.partition = partition;
        this.ownerEpoch = ownerEpoch;
    }

    public int getPartition() {
        return partition;
    }

    public long getOwnerEpoch() {
        return ownerEpoch;
    }
}
