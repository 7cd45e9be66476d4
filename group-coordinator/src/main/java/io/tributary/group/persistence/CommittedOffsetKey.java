package io.tributary.group.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.io.Serializable;
import java.util.Objects;

/** Primary key of {@code committed_offset}: group, topic, partition. */
@Embeddable
public class CommittedOffsetKey implements Serializable {

    @Column(name = "group_id", length = 1024)
    private String groupId;

    @Column(name = "topic")
    private String topic;

    @Column(name = "partition_index")
    private int partition;

    protected CommittedOffsetKey() {}

    public CommittedOffsetKey(String groupId, String topic, int partition) {
        this.groupId = groupId;
        this.topic = topic;
        this.partition = partition;
    }

    public String getGroupId() {
        return groupId;
    }

    public String getTopic() {
        return topic;
    }

    public int getPartition() {
        return partition;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommittedOffsetKey other
                && partition == other.partition
                && groupId.equals(other.groupId)
                && topic.equals(other.topic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupId, topic, partition);
    }

    @Override
    public String toString() {
        return groupId + "/" + topic + "-" + partition;
    }
}
