package io.tributary.group.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A row of {@code committed_offset}: where a group resumes in one partition. */
@Entity
@Table(name = "committed_offset")
public class CommittedOffsetEntity {

    @EmbeddedId
    private CommittedOffsetKey key;

    @Column(name = "committed_offset", nullable = false)
    private long offset;

    @Column(name = "leader_epoch", nullable = false)
    private int leaderEpoch;

    @Column(name = "metadata", length = 65535)
    private String metadata;

    @Column(name = "commit_timestamp", nullable = false)
    private long commitTimestamp;

    @Column(name = "expire_timestamp")
    private Long expireTimestamp;

    protected CommittedOffsetEntity() {}

    public CommittedOffsetEntity(
            CommittedOffsetKey key,
            long offset,
            int leaderEpoch,
            String metadata,
            long commitTimestamp,
            Long expireTimestamp) {
        this.key = key;
        this.offset = offset;
        this.leaderEpoch = leaderEpoch;
        this.metadata = metadata;
        this.commitTimestamp = commitTimestamp;
        this.expireTimestamp = expireTimestamp;
    }

    public CommittedOffsetKey getKey() {
        return key;
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

    public Long getExpireTimestamp() {
        return expireTimestamp;
    }

    public void update(
            long newOffset, int newLeaderEpoch, String newMetadata, long newCommitTimestamp, Long newExpireTimestamp) {
        this.offset = newOffset;
        this.leaderEpoch = newLeaderEpoch;
        this.metadata = newMetadata;
        this.commitTimestamp = newCommitTimestamp;
        this.expireTimestamp = newExpireTimestamp;
    }
}
