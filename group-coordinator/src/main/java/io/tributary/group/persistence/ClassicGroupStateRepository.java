package io.tributary.group.persistence;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/** Classic group generation rows; narrow on purpose, like {@link ConsumerGroupStateRepository}. */
public interface ClassicGroupStateRepository extends Repository<ClassicGroupStateEntity, String> {

    Optional<ClassicGroupStateEntity> findById(String groupId);

    List<ClassicGroupStateEntity> findByGroupPartitionIn(Collection<Integer> groupPartitions);

    ClassicGroupStateEntity save(ClassicGroupStateEntity row);

    @Modifying
    @Query("delete from ClassicGroupStateEntity g where g.groupId = :groupId")
    int deleteByGroupId(@Param("groupId") String groupId);
}
