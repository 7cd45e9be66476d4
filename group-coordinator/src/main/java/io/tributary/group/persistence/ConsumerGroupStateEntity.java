package io.tributary.group.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code consumer_group_state}: one KIP-848 group's membership, as JSON. */
@Entity
@Table(name = "consumer_group_state")
public class ConsumerGroupStateEntity {

    @Id
    @Column(name = "group_id", length = 1024)
    private String groupId;

    @Column(name = "group_partition", nullable = false)
    private int groupPartition;

    @Column(name = "group_epoch", nullable = false)
    private int groupEpoch;

    @Column(name = "assignment_epoch", nullable = false)
    private int assignmentEpoch;

    @Column(name = "state", nullable = false)
    private String state;

    protected ConsumerGroupStateEntity() {}

    public ConsumerGroupStateEntity(
            String groupId, int groupPartition, int groupEpoch, int assignmentEpoch, String state) {
        this.groupId = groupId;
        this.groupPartition = groupPartition;
        this.groupEpoch = groupEpoch;
        this.assignmentEpoch = assignmentEpoch;
        this.state = state;
    }

    public void update(int groupEpoch, int assignmentEpoch, String state) {
        this.groupEpoch = groupEpoch;
        this.assignmentEpoch = assignmentEpoch;
        this.state = state;
    }

    public String getGroupId() {
        return groupId;
    }

    public String getState() {
        return state;
    }
}
