package io.tributary.group.coordinator;

import static io.tributary.group.testing.CoordinatorHarness.ctx;
import static io.tributary.group.testing.CoordinatorHarness.done;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.testing.CoordinatorHarness;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Transactional offsets through {@link GroupCoordinator}: staged by TxnOffsetCommit, ended by the markers. */
class TransactionalOffsetsTest {

    static final String GROUP = GroupOffsetsTest.GROUP;
    static final long PRODUCER = 4000;

    final CoordinatorHarness h = new CoordinatorHarness();
    final GroupCoordinator coordinator = h.coordinator;

    static TxnOffsetCommitRequestData txnCommit(String memberId, int generation, long offset) {
        return new TxnOffsetCommitRequestData()
                .setTransactionalId("etl")
                .setGroupId(GROUP)
                .setProducerId(PRODUCER)
                .setProducerEpoch((short) 2)
                .setMemberId(memberId)
                .setGenerationId(generation)
                .setTopics(List.of(new TxnOffsetCommitRequestTopic()
                        .setName("payments")
                        .setPartitions(List.of(new TxnOffsetCommitRequestPartition()
                                .setPartitionIndex(0)
                                .setCommittedOffset(offset)
                                .setCommittedLeaderEpoch(3)))));
    }

    Errors stage(TxnOffsetCommitRequestData request) {
        TxnOffsetCommitResponseData response = done(coordinator.txnOffsetCommit(ctx(3), request), 3);
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    OffsetFetchResponsePartitions fetch(boolean requireStable) {
        return done(
                        coordinator.fetchOffsets(
                                ctx(9),
                                new OffsetFetchRequestData()
                                        .setRequireStable(requireStable)
                                        .setGroups(List.of(new OffsetFetchRequestGroup()
                                                .setGroupId(GROUP)
                                                .setTopics(List.of(new OffsetFetchRequestTopics()
                                                        .setName("payments")
                                                        .setPartitionIndexes(List.of(0))))))),
                        9)
                .groups()
                .get(0)
                .topics()
                .get(0)
                .partitions()
                .get(0);
    }

    Errors marker(boolean commit) {
        WriteTxnMarkersResponseData response = done(
                coordinator.writeTxnMarkers(
                        ctx(1),
                        new WriteTxnMarkersRequestData()
                                .setMarkers(List.of(new WritableTxnMarker()
                                        .setProducerId(PRODUCER)
                                        .setProducerEpoch((short) 2)
                                        .setTransactionResult(commit)
                                        .setTopics(List.of(new WritableTxnMarkerTopic()
                                                .setName(GroupPartitionOwner.TRANSACTION_MARKER_TOPIC)
                                                .setPartitionIndexes(
                                                        List.of(GroupPartitionOwner.partitionOf(GROUP)))))))),
                1);
        return Errors.forCode(
                response.markers().get(0).topics().get(0).partitions().get(0).errorCode());
    }

    @Test
    void shouldKeepStagedOffsetsInvisibleAndUnstableUntilTheCommitMarker() {
        assertThat(stage(txnCommit("", -1, 42))).isEqualTo(Errors.NONE);

        assertThat(fetch(false).committedOffset()).isEqualTo(-1);
        assertThat(Errors.forCode(fetch(true).errorCode())).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT);

        assertThat(marker(true)).isEqualTo(Errors.NONE);

        assertThat(fetch(true).committedOffset()).isEqualTo(42);
        assertThat(fetch(true).committedLeaderEpoch()).isEqualTo(3);
        assertThat(marker(true)).as("a retried marker").isEqualTo(Errors.NONE);
        assertThat(fetch(false).committedOffset()).isEqualTo(42);
    }

    @Test
    void shouldDropStagedOffsetsOnTheAbortMarker() {
        stage(txnCommit("", -1, 42));

        assertThat(marker(false)).isEqualTo(Errors.NONE);

        assertThat(fetch(true).committedOffset()).isEqualTo(-1);
        assertThat(Errors.forCode(fetch(true).errorCode())).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldRefuseACommitFromAnOlderGenerationOrAnUnknownMember() {
        JoinGroupResponseData member = GroupOffsetsTest.stableMember(h);

        assertThat(stage(txnCommit(member.memberId(), 0, 42))).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(stage(txnCommit("zombie", 1, 42))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(stage(txnCommit(member.memberId(), 1, 42))).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldAnswerNotCoordinatorForTheMarkerOfAGroupServedElsewhere() {
        stage(txnCommit("", -1, 42));
        h.serves = group -> false;

        assertThat(marker(true)).isEqualTo(Errors.NOT_COORDINATOR);

        h.serves = group -> true;
        assertThat(fetch(true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
    }

    @Test
    void shouldDeleteAGroupsStagedOffsetsWithItSoALaterCommitMarkerBringsNothingBack() {
        JoinGroupResponseData member = GroupOffsetsTest.stableMember(h);
        assertThat(stage(txnCommit(member.memberId(), 1, 42))).isEqualTo(Errors.NONE);
        leave(member);

        var deleted =
                done(coordinator.deleteGroups(ctx(2), new DeleteGroupsRequestData().setGroupsNames(List.of(GROUP))), 2);

        assertThat(Errors.forCode(deleted.results().find(GROUP).errorCode())).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(fetch(true).errorCode())).isEqualTo(Errors.NONE);
        assertThat(marker(true)).isEqualTo(Errors.NONE);
        assertThat(fetch(true).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldNeitherExpireAnOffsetNorDeleteItsGroupWhileATransactionHasOffsetsStagedThere() {
        JoinGroupResponseData member = GroupOffsetsTest.stableMember(h);
        done(coordinator.commitOffsets(ctx(9), GroupOffsetsTest.commit(GROUP, member.memberId(), 1, "payments", 7)), 9);
        assertThat(stage(txnCommit(member.memberId(), 1, 42))).isEqualTo(Errors.NONE);
        leave(member);

        h.timer.advance(Duration.ofDays(8).toMillis());

        assertThat(h.expiration.run()).as("groups deleted").isZero();
        assertThat(fetch(false).committedOffset()).isEqualTo(7);
        assertThat(done(coordinator.listGroups(ctx(5), new ListGroupsRequestData()), 5)
                        .groups())
                .extracting(ListedGroup::groupId)
                .containsExactly(GROUP);
        assertThat(marker(true)).isEqualTo(Errors.NONE);
        assertThat(fetch(true).committedOffset()).isEqualTo(42);
    }

    @Test
    void shouldDropTheStagedOffsetsOfAPartitionWhoseOffsetsAreDeleted() {
        JoinGroupResponseData member = GroupOffsetsTest.stableMember(h);
        assertThat(stage(txnCommit(member.memberId(), 1, 42))).isEqualTo(Errors.NONE);
        leave(member);

        OffsetDeleteRequestTopicCollection topics = new OffsetDeleteRequestTopicCollection();
        topics.add(new OffsetDeleteRequestTopic()
                .setName("payments")
                .setPartitions(List.of(new OffsetDeleteRequestPartition().setPartitionIndex(0))));
        var deleted = done(
                coordinator.deleteOffsets(
                        ctx(0), new OffsetDeleteRequestData().setGroupId(GROUP).setTopics(topics)),
                0);

        assertThat(Errors.forCode(deleted.errorCode())).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(fetch(true).errorCode())).isEqualTo(Errors.NONE);
        assertThat(marker(true)).isEqualTo(Errors.NONE);
        assertThat(fetch(true).committedOffset()).isEqualTo(-1);
    }

    void leave(JoinGroupResponseData member) {
        done(
                coordinator.leaveGroup(
                        ctx(0), new LeaveGroupRequestData().setGroupId(GROUP).setMemberId(member.memberId())),
                0);
    }
}
