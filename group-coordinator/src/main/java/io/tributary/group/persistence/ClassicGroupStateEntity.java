package io.tributary.group.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code classic_group_state}: one classic group's Stable generation, as JSON. */
@Entity
@Table(name = "classic_group_state")
public class ClassicGroupStateEntity {

    @Id
    @Column(name = "group_id", length = 1024)
    private String groupId;

    @Column(name = "group_partition", nullable = false)
    private int groupPartition;

    @Column(name = "generation_id", nullable = false)
    private int generationId;

    @Column(name = "state", nullable = false)
    private String state;

    protected ClassicGroupStateEntity() {}

    public ClassicGroupStateEntity(String groupId, int groupPartition, int generationId, String state) {
        this.groupId = groupId;
        this.groupPartition = groupPartition;
        this.generationId = generationId;
        this.state = state;
    }

    public void update(int newGenerationId, String newState) {
        this.generationId = newGenerationId;
        this.state = newState;
    }

    public String getGroupId() {
        return groupId;
    }

    public int getGenerationId() {
        return generationId;
    }

    public String getState() {
        return state;
    }
}
