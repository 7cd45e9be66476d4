package io.tributary.group.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.config.GroupCoordinatorProperties;
import io.tributary.group.consumer.ConsumerGroupMember;
import io.tributary.group.consumer.ConsumerGroupSnapshot;
import io.tributary.group.consumer.MemberState;
import io.tributary.group.consumer.TopicsImage;
import io.tributary.group.consumer.assignor.IdPartition;
import io.tributary.group.history.CommitRecord;
import io.tributary.group.history.OffsetHistory;
import io.tributary.group.membership.StoredGroup;
import io.tributary.group.offset.CommittedOffset;
import io.tributary.group.offset.OffsetManager;
import io.tributary.group.txnoffset.PendingTxnOffsetRepository;
import io.tributary.group.txnoffset.PendingTxnOffsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jpa.test.autoconfigure.TestEntityManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The offset repositories and the {@link OffsetManager} on a real database, schema by the
 * Flyway migrations, validated by Hibernate. Subclasses pick the database (H2, PostgreSQL).
 * Each test runs in a transaction that is rolled back.
 */
@DataJpaTest(properties = "spring.cloud.zookeeper.enabled=false")
abstract class OffsetRepositoryContract {

    static final long NOW = 1_700_000_000_000L;

    @Autowired
    CommittedOffsetRepository offsets;

    @Autowired
    GroupMetadataRepository groups;

    @Autowired
    OffsetCommitHistoryRepository history;

    @Autowired
    PendingTxnOffsetRepository pendingRepository;

    @Autowired
    GroupPartitionEpochRepository partitionEpochs;

    @Autowired
    ConsumerGroupStateRepository consumerGroupStates;

    @Autowired
    TestEntityManager entityManager;

    @Autowired
    PlatformTransactionManager transactionManager;

    OffsetManager manager;

    @BeforeEach
    void createManager() {
        manager = new OffsetManager(
                offsets,
                groups,
                new TransactionTemplate(transactionManager),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                GroupCoordinatorProperties.defaults());
    }

    static OffsetCommitRequestData commit(String groupId, String topic, long... committed) {
        OffsetCommitRequestTopic t = new OffsetCommitRequestTopic().setName(topic);
        for (int p = 0; p < committed.length; p++) {
            t.partitions()
                    .add(new OffsetCommitRequestPartition()
                            .setPartitionIndex(p)
                            .setCommittedOffset(committed[p])
                            .setCommittedLeaderEpoch(p + 3)
                            .setCommittedMetadata("meta-" + p));
        }
        return new OffsetCommitRequestData()
                .setGroupId(groupId)
                .setGenerationIdOrMemberEpoch(-1)
                .setTopics(List.of(t));
    }

    void clear() {
        entityManager.flush();
        entityManager.clear();
    }

    @Test
    void shouldKeepEveryCommitWithItsClientAndRestoreThePositionsAsOfACommitTime() {
        MutableClock clock = new MutableClock(NOW);
        GroupCoordinatorProperties config = GroupCoordinatorProperties.defaults();
        OffsetManager recording =
                new OffsetManager(offsets, groups, new TransactionTemplate(transactionManager), clock, config, history);
        OffsetHistory reader = new OffsetHistory(
                history, new TransactionTemplate(transactionManager), clock, config.offsetsHistoryRetention());
        String group = "history-" + System.nanoTime();
        recording.commit(commit(group, "orders", 10, 20).setMemberId("m-1"), null, "app-v1");
        recording.commit(commit(group, "refunds", 5), null, "app-v1");
        clock.now += 1000;
        recording.commit(commit(group, "orders", 500).setMemberId("m-2"), null, "app-v2");
        clear();

        assertThat(reader.history(group, null, Instant.ofEpochMilli(NOW), 100))
                .extracting(CommitRecord::topic, CommitRecord::offset, CommitRecord::memberId, CommitRecord::clientId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("orders", 10L, "m-1", "app-v1"),
                        org.assertj.core.groups.Tuple.tuple("orders", 20L, "m-1", "app-v1"),
                        org.assertj.core.groups.Tuple.tuple("refunds", 5L, "", "app-v1"),
                        org.assertj.core.groups.Tuple.tuple("orders", 500L, "m-2", "app-v2"));
        assertThat(reader.history(group, "orders", Instant.ofEpochMilli(NOW + 1), 100))
                .extracting(CommitRecord::offset)
                .containsExactly(500L);
        assertThat(reader.history(group, null, Instant.ofEpochMilli(NOW), 1))
                .extracting(CommitRecord::offset)
                .containsExactly(500L);

        assertThat(reader.positionsAt(group, null, Instant.ofEpochMilli(NOW + 999)))
                .extracting(CommitRecord::topic, CommitRecord::partition, CommitRecord::offset)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("orders", 0, 10L),
                        org.assertj.core.groups.Tuple.tuple("orders", 1, 20L),
                        org.assertj.core.groups.Tuple.tuple("refunds", 0, 5L));
        assertThat(reader.positionsAt(group, "orders", Instant.ofEpochMilli(NOW + 1000)))
                .extracting(CommitRecord::partition, CommitRecord::offset)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, 500L), org.assertj.core.groups.Tuple.tuple(1, 20L));
        assertThat(reader.positionsAt(group, null, Instant.ofEpochMilli(NOW - 1)))
                .isEmpty();

        // pruned once older than the retention
        clock.now = NOW + config.offsetsHistoryRetention().toMillis() + 500;
        assertThat(reader.prune()).isGreaterThanOrEqualTo(3);
        clear();
        assertThat(reader.history(group, null, Instant.ofEpochMilli(0), 100))
                .extracting(CommitRecord::offset)
                .containsExactly(500L);
        assertThat(reader.knows(group)).isTrue();
    }

    @Test
    void shouldRecordATransactionalCommitInTheHistoryWhenItsMarkerMakesItVisible() {
        MutableClock clock = new MutableClock(NOW);
        GroupCoordinatorProperties config = GroupCoordinatorProperties.defaults();
        OffsetManager recording =
                new OffsetManager(offsets, groups, new TransactionTemplate(transactionManager), clock, config, history);
        PendingTxnOffsets pending =
                new PendingTxnOffsets(pendingRepository, recording, new TransactionTemplate(transactionManager), clock);
        OffsetHistory reader = new OffsetHistory(
                history, new TransactionTemplate(transactionManager), clock, config.offsetsHistoryRetention());
        String group = "txn-" + System.nanoTime();
        pending.stage(txnCommit(group, 77, 42), "etl-app");
        pending.stage(txnCommit(group, 78, 9), "other-app");
        clear();

        assertThat(manager.fetch(group)).isEmpty();
        assertThat(pending.pendingPartitions(group)).containsExactly(new TopicPartition("orders", 0));

        clock.now += 1000;
        pending.complete(77, java.util.Set.of(group), true);
        pending.complete(78, java.util.Set.of(group), false);
        clear();

        assertThat(pending.pendingPartitions(group)).isEmpty();
        assertThat(manager.fetch(group))
                .extracting(CommittedOffset::offset, CommittedOffset::commitTimestampMs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(42L, NOW + 1000));
        assertThat(reader.history(group, null, Instant.ofEpochMilli(NOW), 100))
                .extracting(CommitRecord::offset, CommitRecord::memberId, CommitRecord::clientId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(42L, "member-1", "etl-app"));
    }

    @Test
    void shouldDeleteTheOffsetsStagedInAGroupWithItsCommittedOnesInOneTransaction() {
        PendingTxnOffsets pending = new PendingTxnOffsets(
                pendingRepository, manager, new TransactionTemplate(transactionManager), Clock.systemUTC());
        String group = "deleted-" + System.nanoTime();
        manager.commit(commit(group, "orders", 5), null);
        pending.stage(txnCommit(group, 77, 42), "etl-app");
        pending.stage(txnCommit("kept-" + group, 77, 9), "etl-app");
        clear();

        assertThat(pending.deleteGroupOffsets(group)).isEqualTo(1);
        clear();

        assertThat(manager.fetch(group)).isEmpty();
        assertThat(pending.pendingPartitions(group)).isEmpty();
        assertThat(pending.pendingPartitions("kept-" + group)).containsExactly(new TopicPartition("orders", 0));
        assertThat(pending.complete(77, java.util.Set.of(group, "kept-" + group), true))
                .as("only the other group's offset is left to commit")
                .isEqualTo(1);
    }

    static TxnOffsetCommitRequestData txnCommit(String groupId, long producerId, long offset) {
        return new TxnOffsetCommitRequestData()
                .setTransactionalId("etl")
                .setGroupId(groupId)
                .setProducerId(producerId)
                .setProducerEpoch((short) 0)
                .setMemberId("member-1")
                .setGenerationId(1)
                .setTopics(List.of(new TxnOffsetCommitRequestTopic()
                        .setName("orders")
                        .setPartitions(List.of(new TxnOffsetCommitRequestPartition()
                                .setPartitionIndex(0)
                                .setCommittedOffset(offset)
                                .setCommittedLeaderEpoch(2)))));
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        long now;

        MutableClock(long now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }
    }

    @Test
    void shouldStoreOffsetLeaderEpochMetadataAndTimestamps() {
        offsets.save(new CommittedOffsetEntity(new CommittedOffsetKey("g", "t", 0), 42, 7, "hello", NOW, NOW + 5));
        clear();
        CommittedOffsetEntity row =
                offsets.findById(new CommittedOffsetKey("g", "t", 0)).orElseThrow();
        assertThat(row.getOffset()).isEqualTo(42);
        assertThat(row.getLeaderEpoch()).isEqualTo(7);
        assertThat(row.getMetadata()).isEqualTo("hello");
        assertThat(row.getCommitTimestamp()).isEqualTo(NOW);
        assertThat(row.getExpireTimestamp()).isEqualTo(NOW + 5);
    }

    @Test
    void shouldKeepMetadataUpToTheColumnSizeAndNullMetadata() {
        char[] chars = new char[GroupCoordinatorProperties.METADATA_COLUMN_SIZE];
        Arrays.fill(chars, 'é');
        String longest = new String(chars);
        offsets.save(new CommittedOffsetEntity(new CommittedOffsetKey("g", "t", 1), 1, -1, longest, NOW, null));
        offsets.save(new CommittedOffsetEntity(new CommittedOffsetKey("g", "t", 2), 2, -1, null, NOW, null));
        clear();
        assertThat(offsets.findById(new CommittedOffsetKey("g", "t", 1))
                        .orElseThrow()
                        .getMetadata())
                .isEqualTo(longest);
        assertThat(offsets.findById(new CommittedOffsetKey("g", "t", 2))
                        .orElseThrow()
                        .getMetadata())
                .isNull();
    }

    @Test
    void shouldCommitUpdateAndFetchThroughTheOffsetManager() {
        OffsetCommitResponseData first = manager.commit(
                commit("group-a", "orders", 10, 20), new StoredGroup("group-a", "", null, 0, "Empty", NOW));
        assertThat(first.topics().get(0).partitions())
                .allSatisfy(p -> assertThat(p.errorCode()).isZero());
        manager.commit(commit("group-a", "orders", 11), null);
        manager.commit(commit("group-b", "orders", 99), null);
        clear();

        List<CommittedOffset> fetched = manager.fetch("group-a");
        assertThat(fetched)
                .extracting(
                        CommittedOffset::partition,
                        CommittedOffset::offset,
                        CommittedOffset::leaderEpoch,
                        CommittedOffset::metadata)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(0, 11L, 3, "meta-0"),
                        org.assertj.core.groups.Tuple.tuple(1, 20L, 4, "meta-1"));
        assertThat(groups.findById("group-a")).get().satisfies(g -> {
            assertThat(g.getState()).isEqualTo("Empty");
            assertThat(g.getProtocolType()).isEmpty();
        });
        // (a shared PostgreSQL may hold other tests' committed groups)
        assertThat(manager.groupsWithOffsets()).contains("group-a", "group-b");
    }

    @Test
    void shouldRefuseACommitOfAnOlderOwnershipEpochOnceANewerOneWroteThePartition() {
        SettableEpoch fence = new SettableEpoch(new GroupPartitionEpochs(partitionEpochs));
        OffsetManager fenced = new OffsetManager(
                offsets,
                groups,
                new TransactionTemplate(transactionManager),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                GroupCoordinatorProperties.defaults(),
                null,
                fence);
        fence.epoch = 7;
        fenced.commit(commit("fenced-group", "orders", 10), null);
        fence.epoch = 8; // the group's new owner
        fenced.commit(commit("fenced-group", "orders", 20), null);

        fence.epoch = 7; // the old owner, late
        assertThatThrownBy(() -> fenced.commit(commit("fenced-group", "orders", 15), null))
                .isInstanceOf(NotCoordinatorException.class)
                .hasMessageContaining("epoch 8 > 7");
        clear();
        assertThat(manager.fetch("fenced-group"))
                .extracting(CommittedOffset::offset)
                .containsExactly(20L);
    }

    /** A {@link WriteFence} at an epoch the test sets, checked by the store. */
    static final class SettableEpoch implements WriteFence {
        private final GroupPartitionEpochs store;
        volatile long epoch;

        SettableEpoch(GroupPartitionEpochs store) {
            this.store = store;
        }

        @Override
        public long epochOf(String groupId) {
            return epoch;
        }

        @Override
        public void check(String groupId, long writeEpoch) {
            store.advance(groupId, writeEpoch);
        }
    }

    @Test
    void shouldStoreLoadAndDeleteTheMembershipOfAConsumerGroupByGroupPartition() {
        JpaConsumerGroupStore store = new JpaConsumerGroupStore(
                consumerGroupStates, new TransactionTemplate(transactionManager), WriteFence.NONE);
        Uuid topic = Uuid.randomUuid();
        ConsumerGroupMember member = new ConsumerGroupMember(
                "member-1",
                "instance-1",
                "rack-a",
                "client-1",
                "/127.0.0.1",
                30_000,
                List.of("orders"),
                null,
                "uniform",
                5,
                4,
                MemberState.UNREVOKED_PARTITIONS,
                Set.of(new IdPartition(topic, 0)),
                Set.of(new IdPartition(topic, 1)));
        ConsumerGroupSnapshot group = new ConsumerGroupSnapshot(
                "stored-consumer-group",
                6,
                6,
                "uniform",
                List.of(member),
                Map.of("member-1", Set.of(new IdPartition(topic, 0))),
                List.of(new TopicsImage.Topic("orders", topic, 2)));
        ConsumerGroupSnapshot other =
                new ConsumerGroupSnapshot("other-stored-group", 1, 1, "uniform", List.of(), Map.of(), List.of());
        int partition = GroupPartitionOwner.partitionOf(group.groupId());
        int otherPartition = GroupPartitionOwner.partitionOf(other.groupId());
        assertThat(otherPartition).as("the two groups' partitions").isNotEqualTo(partition);
        try {
            store.save(group);
            store.save(other);
            store.flush();
            assertThat(store.loadPartitions(Set.of(partition)))
                    .filteredOn(g ->
                            g.groupId().equals(group.groupId()) || g.groupId().equals(other.groupId()))
                    .containsExactly(group);
            assertThat(store.loadPartitions(Set.of(partition + 1)))
                    .noneMatch(g -> g.groupId().equals(group.groupId()));
            // a takeover reads all its partitions in one call
            assertThat(store.loadPartitions(Set.of(partition, otherPartition)))
                    .filteredOn(g ->
                            g.groupId().equals(group.groupId()) || g.groupId().equals(other.groupId()))
                    .containsExactlyInAnyOrder(group, other);

            store.delete(group.groupId());
            store.delete(other.groupId());
            store.flush();
            assertThat(store.loadPartitions(Set.of(partition, otherPartition)))
                    .noneMatch(g ->
                            g.groupId().equals(group.groupId()) || g.groupId().equals(other.groupId()));
        } finally {
            store.close();
        }
    }

    @Test
    void shouldRejectOversizedMetadataPerPartition() {
        OffsetCommitRequestData request = commit("g", "t", 1, 2);
        request.topics().get(0).partitions().get(0).setCommittedMetadata("x".repeat(4097));
        OffsetCommitResponseData response = manager.commit(request, null);
        assertThat(response.topics().get(0).partitions())
                .extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.OFFSET_METADATA_TOO_LARGE, Errors.NONE);
        clear();
        assertThat(manager.fetch("g")).extracting(CommittedOffset::partition).containsExactly(1);
    }

    @Test
    void shouldDeleteByGroupByPartitionAndOnlyUnchangedOffsets() {
        manager.commit(commit("g", "t", 1, 2, 3), null);
        manager.commit(commit("h", "t", 1), null);
        clear();
        manager.deleteOffsets("g", List.of(new TopicPartition("t", 0)));
        clear();
        assertThat(manager.fetch("g")).extracting(CommittedOffset::partition).containsExactlyInAnyOrder(1, 2);

        assertThat(offsets.deleteIfUnchanged(new CommittedOffsetKey("g", "t", 1), NOW - 1))
                .isZero();
        assertThat(offsets.deleteIfUnchanged(new CommittedOffsetKey("g", "t", 1), NOW))
                .isEqualTo(1);
        assertThat(manager.deleteGroupOffsets("g")).isEqualTo(1);
        clear();
        assertThat(manager.fetch("g")).isEmpty();
        assertThat(manager.fetch("h")).hasSize(1);
    }

    @Test
    void shouldExpireOffsetsAfterTheRetentionSinceCommitOrEmptiness() {
        manager.commit(commit("g", "t", 1, 2), null);
        clear();
        long week = 7L * 24 * 3600 * 1000;
        // the group became Empty after the commit: retention counts from then
        assertThat(manager.expire("g", NOW + 1000, week, NOW + week)).isEqualTo(2);
        assertThat(manager.expire("g", NOW + 1000, week, NOW + week + 1000)).isZero();
        clear();
        assertThat(manager.fetch("g")).isEmpty();

        // an explicit expiry (OffsetCommit v2-4 retention time) wins
        OffsetCommitRequestData withRetention = commit("r", "t", 5).setRetentionTimeMs(60_000);
        manager.commit(withRetention, null);
        clear();
        assertThat(manager.expire("r", 0, week, NOW + 60_000)).isZero();
    }

    @Test
    void shouldNeverMoveAStoredGenerationBackwards() {
        JpaGroupMetadataStore store = new JpaGroupMetadataStore(groups, new TransactionTemplate(transactionManager));
        try {
            store.saveNow(new StoredGroup("g", "consumer", "range", 5, "Stable", NOW));
            store.saveNow(new StoredGroup("g", "consumer", null, 6, "Empty", NOW + 1));
            // a stale writer (an instance that lost the group) comes late
            store.saveNow(new StoredGroup("g", "consumer", "range", 4, "Stable", NOW + 2));
            clear();
            assertThat(store.load("g")).get().satisfies(g -> {
                assertThat(g.generationId()).isEqualTo(6);
                assertThat(g.state()).isEqualTo("Empty");
                assertThat(g.stateTimestampMs()).isEqualTo(NOW + 1);
            });
            assertThat(store.loadAll()).filteredOn(g -> g.groupId().equals("g")).hasSize(1);
        } finally {
            store.close();
        }
    }

    @Test
    void shouldStoreAndReadGroupMetadata() {
        groups.save(new GroupMetadataEntity("big-group", "consumer", "range", 12, "Stable", NOW));
        clear();
        GroupMetadataEntity row = groups.findById("big-group").orElseThrow();
        assertThat(row.getGenerationId()).isEqualTo(12);
        assertThat(row.getProtocolName()).isEqualTo("range");
        row.update("consumer", null, 13, "Empty", NOW + 1);
        clear();
        assertThat(groups.findAll())
                .filteredOn(g -> g.getGroupId().equals("big-group"))
                .singleElement()
                .satisfies(g -> {
                    assertThat(g.getGenerationId()).isEqualTo(13);
                    assertThat(g.getProtocolName()).isNull();
                });
        assertThat(groups.deleteByGroupId("big-group")).isEqualTo(1);
        clear();
        assertThat(groups.findById("big-group")).isEmpty();
    }
}
