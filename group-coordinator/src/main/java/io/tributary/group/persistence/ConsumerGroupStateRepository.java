package io.tributary.group.persistence;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/** KIP-848 group membership rows; narrow on purpose, like {@link CommittedOffsetRepository}. */
public interface ConsumerGroupStateRepository extends Repository<ConsumerGroupStateEntity, String> {

    Optional<ConsumerGroupStateEntity> findById(String groupId);

    List<ConsumerGroupStateEntity> findByGroupPartitionIn(Collection<Integer> groupPartitions);

    ConsumerGroupStateEntity save(ConsumerGroupStateEntity row);

    @Modifying
    @Query("delete from ConsumerGroupStateEntity g where g.groupId = :groupId")
    int deleteByGroupId(@Param("groupId") String groupId);
}
