package io.tributary.group.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code offset_commit_history}: one partition's offset in one commit, never updated. */
@Entity
@Table(name = "offset_commit_history")
public class OffsetCommitHistoryEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "group_id", nullable = false, length = 1024)
    private String groupId;

    @Column(name = "topic", nullable = false)
    private String topic;

    @Column(name = "partition_index", nullable = false)
    private int partition;

    @Column(name = "committed_offset", nullable = false)
    private long offset;

    @Column(name = "leader_epoch", nullable = false)
    private int leaderEpoch;

    @Column(name = "metadata", length = 65535)
    private String metadata;

    @Column(name = "commit_timestamp", nullable = false)
    private long commitTimestamp;

    @Column(name = "member_id", nullable = false, length = 1024)
    private String memberId;

    @Column(name = "client_id", nullable = false, length = 1024)
    private String clientId;

    protected OffsetCommitHistoryEntity() {}

    @SuppressWarnings("checkstyle:ParameterNumber")
    public OffsetCommitHistoryEntity(
            String groupId,
            String topic,
            int partition,
            long offset,
            int leaderEpoch,
            String metadata,
            long commitTimestamp,
            String memberId,
            String clientId) {
        this.groupId = groupId;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.leaderEpoch = leaderEpoch;
        this.metadata = metadata;
        this.commitTimestamp = commitTimestamp;
        this.memberId = memberId == null ? "" : memberId;
        this.clientId = clientId == null ? "" : clientId;
    }

    public Long getId() {
        return id;
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

    public long getOffset() {
        return offset;
    }

    public int getLeaderEpoch() {
        return leaderEpoch;
    }

    public String getMetadata() {
        return metadata;
    }

    public long getCommitTimestamp() {
        return commitTimestamp;
    }

    public String getMemberId() {
        return memberId;
    }

    public String getClientId() {
        return clientId;
    }
}
