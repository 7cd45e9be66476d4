package io.tributary.group.persistence;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/** Group metadata rows; narrow on purpose, like {@link CommittedOffsetRepository}. */
public interface GroupMetadataRepository extends Repository<GroupMetadataEntity, String> {

    Optional<GroupMetadataEntity> findById(String groupId);

    List<GroupMetadataEntity> findAll();

    GroupMetadataEntity save(GroupMetadataEntity group);

    @Modifying
    @Query("delete from GroupMetadataEntity g where g.groupId = :groupId")
    int deleteByGroupId(@Param("groupId") String groupId);
}
