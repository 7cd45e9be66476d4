package io.tributary.group.persistence;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/**
 * Committed offsets. Deliberately narrow (a {@link Repository}, not a {@code JpaRepository}):
 * only what the offset manager needs, so that tests can stand in for it with a map.
 */
public interface CommittedOffsetRepository extends Repository<CommittedOffsetEntity, CommittedOffsetKey> {

    Optional<CommittedOffsetEntity> findById(CommittedOffsetKey key);

    List<CommittedOffsetEntity> findByKeyGroupId(String groupId);

    CommittedOffsetEntity save(CommittedOffsetEntity offset);

    @Query("select distinct o.key.groupId from CommittedOffsetEntity o")
    List<String> findGroupIds();

    @Modifying
    @Query("delete from CommittedOffsetEntity o where o.key.groupId = :groupId")
    int deleteByGroupId(@Param("groupId") String groupId);

    @Modifying
    @Query("delete from CommittedOffsetEntity o where o.key = :key")
    int deleteByKey(@Param("key") CommittedOffsetKey key);

    /** Deletes the offset only if nobody committed it again since it was read. */
    @Modifying
    @Query("delete from CommittedOffsetEntity o where o.key = :key and o.commitTimestamp = :commitTimestamp")
    int deleteIfUnchanged(@Param("key") CommittedOffsetKey key, @Param("commitTimestamp") long commitTimestamp);
}
