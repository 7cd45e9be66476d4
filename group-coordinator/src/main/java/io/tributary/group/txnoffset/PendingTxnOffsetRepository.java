package io.tributary.group.txnoffset;

import java.util.List;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/** The pending transactional offsets: staged by TxnOffsetCommit, read by OffsetFetch, ended by the markers. */
public interface PendingTxnOffsetRepository extends Repository<PendingTxnOffsetEntity, Long> {

    PendingTxnOffsetEntity save(PendingTxnOffsetEntity row);

    List<PendingTxnOffsetEntity> findByProducerId(long producerId);

    List<PendingTxnOffsetEntity> findByGroupId(String groupId);

    void delete(PendingTxnOffsetEntity row);

    /** Removes every offset staged in the group, whatever the transaction (DeleteGroups). */
    @Modifying
    @Query("delete from PendingTxnOffsetEntity p where p.groupId = :groupId")
    int deleteByGroupId(@Param("groupId") String groupId);

    /** Removes the offsets any transaction staged for one partition of the group (OffsetDelete). */
    @Modifying
    @Query("delete from PendingTxnOffsetEntity p where p.groupId = :groupId"
            + " and p.topic = :topic and p.partition = :partition")
    int deleteByPartition(
            @Param("groupId") String groupId, @Param("topic") String topic, @Param("partition") int partition);

    /** Removes what the same transaction staged earlier for this partition, before staging it again. */
    @Modifying
    @Query("delete from PendingTxnOffsetEntity p where p.groupId = :groupId and p.producerId = :producerId"
            + " and p.topic = :topic and p.partition = :partition")
    int deleteStaged(
            @Param("groupId") String groupId,
            @Param("producerId") long producerId,
            @Param("topic") String topic,
            @Param("partition") int partition);
}
