package io.tributary.group.txnoffset;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code pending_txn_offset}: one partition's offset committed by a producer inside a
 * transaction that is not decided yet. Replaced when the same transaction commits the partition
 * again; deleted when the transaction ends.
 */
@Entity
@Table(name = "pending_txn_offset")
public class PendingTxnOffsetEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "group_id", nullable = false, length = 1024)
    private String groupId;

    @Column(name = "producer_id", nullable = false)
    private long producerId;

    @Column(name = "producer_epoch", nullable = false)
    private short producerEpoch;

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

    protected PendingTxnOffsetEntity() {}

    @SuppressWarnings("checkstyle:ParameterNumber")
    public PendingTxnOffsetEntity(
            String groupId,
            long producerId,
            short producerEpoch,
            String topic,
            int partition,
            long offset,
            int leaderEpoch,
            String metadata,
            long commitTimestamp,
            String memberId,
            String clientId) {
        this.groupId = groupId;
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.leaderEpoch = leaderEpoch;
        this.metadata = metadata;
        this.commitTimestamp = commitTimestamp;
        this.memberId = memberId;
        this.clientId = clientId;
    }

    public String getGroupId() {
        return groupId;
    }

    public long getProducerId() {
        return producerId;
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

    public String getMemberId() {
        return memberId;
    }

    public String getClientId() {
        return clientId;
    }
}
