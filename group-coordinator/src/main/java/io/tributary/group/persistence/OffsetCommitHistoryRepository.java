package io.tributary.group.persistence;

import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/**
 * The offset commit history. Narrow, like {@link CommittedOffsetRepository}: appends, the two
 * reads of the history API and of a reset to a past moment, and pruning.
 */
public interface OffsetCommitHistoryRepository extends Repository<OffsetCommitHistoryEntity, Long> {

    OffsetCommitHistoryEntity save(OffsetCommitHistoryEntity row);

    /** The group's commits at or after {@code since}, optionally of one topic, newest first. */
    @Query("select h from OffsetCommitHistoryEntity h where h.groupId = :groupId"
            + " and h.commitTimestamp >= :since and (:topic is null or h.topic = :topic)"
            + " order by h.commitTimestamp desc, h.id desc")
    List<OffsetCommitHistoryEntity> findRecent(
            @Param("groupId") String groupId, @Param("topic") String topic, @Param("since") long since, Pageable page);

    /**
     * Per partition of the group (optionally of one topic), its last commit at or before
     * {@code at}: the committed positions as of that moment. "Last" is the latest written row,
     * which is what {@code committed_offset} held after it.
     */
    @Query("select h from OffsetCommitHistoryEntity h where h.id in (select max(l.id) from OffsetCommitHistoryEntity l"
            + " where l.groupId = :groupId and l.commitTimestamp <= :at and (:topic is null or l.topic = :topic)"
            + " group by l.topic, l.partition)")
    List<OffsetCommitHistoryEntity> findPositionsAt(
            @Param("groupId") String groupId, @Param("topic") String topic, @Param("at") long at);

    /** Whether the group has any history at all (to tell an unknown group). */
    boolean existsByGroupId(String groupId);

    @Modifying
    @Query("delete from OffsetCommitHistoryEntity h where h.commitTimestamp < :before")
    int deleteOlderThan(@Param("before") long before);
}
