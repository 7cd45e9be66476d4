package io.tributary.group.persistence;

import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/** The write epochs of the group partitions; narrow on purpose, like {@link CommittedOffsetRepository}. */
public interface GroupPartitionEpochRepository extends Repository<GroupPartitionEpochEntity, Integer> {

    /** The stored epoch, read from the database (a bulk {@link #advance} bypasses the persistence context). */
    @Query("select e.ownerEpoch from GroupPartitionEpochEntity e where e.partition = :partition")
    Optional<Long> findOwnerEpoch(@Param("partition") int partition);

    GroupPartitionEpochEntity save(GroupPartitionEpochEntity row);

    /**
     * Raises the partition's epoch to {@code epoch} unless a higher one has written it; the
     * updated row stays locked until the transaction ends. Returns 0 when the row is missing or
     * its epoch is higher.
     */
    @Modifying(flushAutomatically = true)
    @Query("update GroupPartitionEpochEntity e set e.ownerEpoch = :epoch"
            + " where e.partition = :partition and e.ownerEpoch <= :epoch")
    int advance(@Param("partition") int partition, @Param("epoch") long epoch);
}
