package io.tributary.group.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code consumer_group}; never leaves this package's callers' transactions. */
@Entity
@Table(name = "consumer_group")
public class GroupMetadataEntity {

    @Id
    @Column(name = "group_id", length = 1024)
    private String groupId;

    @Column(name = "protocol_type", nullable = false)
    private String protocolType;

    @Column(name = "protocol_name")
    private String protocolName;

    @Column(name = "generation_id", nullable = false)
    private int generationId;

    @Column(name = "state", nullable = false, length = 32)
    private String state;

    @Column(name = "state_timestamp", nullable = false)
    private long stateTimestamp;

    protected GroupMetadataEntity() {}

    public GroupMetadataEntity(
            String groupId,
            String protocolType,
            String protocolName,
            int generationId,
            String state,
            long stateTimestamp) {
        this.groupId = groupId;
        this.protocolType = protocolType;
        this.protocolName = protocolName;
        this.generationId = generationId;
        this.state = state;
        this.stateTimestamp = stateTimestamp;
    }

    public String getGroupId() {
        return groupId;
    }

    public String getProtocolType() {
        return protocolType;
    }

    public String getProtocolName() {
        return protocolName;
    }

    public int getGenerationId() {
        return generationId;
    }

    public String getState() {
        return state;
    }

    public long getStateTimestamp() {
        return stateTimestamp;
    }

    public void update(
            String newProtocolType,
            String newProtocolName,
            int newGenerationId,
            String newState,
            long newStateTimestamp) {
        this.protocolType = newProtocolType;
        this.protocolName = newProtocolName;
        this.generationId = newGenerationId;
        this.state = newState;
        this.stateTimestamp = newStateTimestamp;
    }
}
