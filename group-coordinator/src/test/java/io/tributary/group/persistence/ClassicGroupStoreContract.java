package io.tributary.group.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.membership.ClassicGroupSnapshot;
import io.tributary.group.membership.ClassicGroupSnapshot.Member;
import io.tributary.group.membership.ClassicGroupSnapshot.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link JpaClassicGroupStore} on a real database, schema by the Flyway migrations, validated by
 * Hibernate: the Stable generations of classic groups stored, loaded by group partition, fenced by
 * the ownership epoch and deleted. Subclasses pick the database (H2, PostgreSQL). Not in a test
 * transaction: the store reads and writes in its own, as in a coordinator (they commit), so group
 * ids are unique per run.
 */
@DataJpaTest(properties = "spring.cloud.zookeeper.enabled=false")
@Transactional(propagation = Propagation.NOT_SUPPORTED)
abstract class ClassicGroupStoreContract {

    @Autowired
    ClassicGroupStateRepository rows;

    @Autowired
    GroupPartitionEpochRepository partitionEpochs;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    DataSource dataSource;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private JpaClassicGroupStore store;

    private JpaClassicGroupStore store(WriteFence fence) {
        store = new JpaClassicGroupStore(rows, new TransactionTemplate(transactionManager), fence);
        return store;
    }

    /** Closes the store and removes this run's rows (a shared PostgreSQL outlives the test). */
    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
        new JdbcTemplate(dataSource).update("DELETE FROM classic_group_state WHERE group_id LIKE ?", "%-" + run);
    }

    static ClassicGroupSnapshot stableGroup(String groupId, int generation) {
        Member leader = new Member(
                "consumer-1-aaa",
                null,
                "consumer-1",
                "/127.0.0.1",
                300_000,
                45_000,
                List.of(
                        new Protocol("cooperative-sticky", bytes("sticky-metadata")),
                        new Protocol("range", bytes("range-metadata"))),
                bytes("assignment-1"));
        Member follower = new Member(
                "consumer-2-bbb",
                "instance-2",
                "consumer-2",
                "/127.0.0.2",
                60_000,
                10_000,
                List.of(new Protocol("range", new byte[] {0, 1, -1, 127})),
                new byte[0]);
        return new ClassicGroupSnapshot(
                groupId, "consumer", "range", generation, "consumer-1-aaa", List.of(leader, follower));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<ClassicGroupSnapshot> loaded(String groupId) {
        return store.loadPartitions(Set.of(GroupPartitionOwner.partitionOf(groupId))).stream()
                .filter(g -> g.groupId().equals(groupId))
                .toList();
    }

    @Test
    void shouldStoreAStableGenerationWithItsMembersAndLoadItByGroupPartition() {
        store(WriteFence.NONE);
        ClassicGroupSnapshot group = stableGroup("classic-" + run, 4);
        store.save(group);
        store.flush();

        assertThat(loaded(group.groupId()))
                .singleElement()
                .usingRecursiveComparison()
                .isEqualTo(group);
        int otherPartition = (GroupPartitionOwner.partitionOf(group.groupId()) + 1) % GroupPartitionOwner.PARTITIONS;
        assertThat(store.loadPartitions(Set.of(otherPartition)))
                .noneMatch(g -> g.groupId().equals(group.groupId()));

        // the next generation replaces the row
        ClassicGroupSnapshot next = stableGroup(group.groupId(), 5);
        store.save(next);
        store.flush();
        assertThat(loaded(group.groupId()))
                .singleElement()
                .extracting(ClassicGroupSnapshot::generationId)
                .isEqualTo(5);
    }

    @Test
    void shouldForgetTheMembersOfAGroupThatEmptiedOrWasDeleted() {
        store(WriteFence.NONE);
        ClassicGroupSnapshot group = stableGroup("classic-deleted-" + run, 2);
        store.save(group);
        store.delete(group.groupId());
        store.flush();
        assertThat(loaded(group.groupId())).isEmpty();
    }

    @Test
    void shouldDropALateWriteOfAnOlderOwnershipEpochOnceANewerOneWroteThePartition() {
        OffsetRepositoryContract.SettableEpoch fence =
                new OffsetRepositoryContract.SettableEpoch(new GroupPartitionEpochs(partitionEpochs));
        store(fence);
        String groupId = "classic-fenced-" + run;
        int partition = GroupPartitionOwner.partitionOf(groupId);
        // the store's writes commit: the partition's epoch row is put back afterwards
        Optional<Long> before = partitionEpochs.findOwnerEpoch(partition);
        long oldOwner = before.orElse(0L) + 1;
        try {
            fence.epoch = oldOwner;
            store.save(stableGroup(groupId, 3));
            store.flush();
            fence.epoch = oldOwner + 1; // the group's new owner
            store.save(stableGroup(groupId, 4));
            store.flush();

            fence.epoch = oldOwner; // the old owner, late: neither its save nor its delete lands
            store.save(stableGroup(groupId, 9));
            store.delete(groupId);
            store.flush();
            assertThat(loaded(groupId))
                    .singleElement()
                    .extracting(ClassicGroupSnapshot::generationId)
                    .isEqualTo(4);
        } finally {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            if (before.isPresent()) {
                jdbc.update(
                        "UPDATE group_partition_epoch SET owner_epoch = ? WHERE partition_index = ?",
                        before.get(),
                        partition);
            } else {
                jdbc.update("DELETE FROM group_partition_epoch WHERE partition_index = ?", partition);
            }
        }
    }
}
