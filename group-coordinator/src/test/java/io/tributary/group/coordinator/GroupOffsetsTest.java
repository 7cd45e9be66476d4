package io.tributary.group.coordinator;

import static io.tributary.group.testing.CoordinatorHarness.ctx;
import static io.tributary.group.testing.CoordinatorHarness.done;
import static io.tributary.group.testing.CoordinatorHarness.joinRequest;
import static io.tributary.group.testing.CoordinatorHarness.protocols;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.group.testing.CoordinatorHarness;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Committed offsets through {@link GroupCoordinator}: membership checks, both fetch forms, deletes, expiry, outages. */
class GroupOffsetsTest {

    static final String GROUP = "billing";
    static final byte[] SUBSCRIPTION =
            bytes(ConsumerProtocol.serializeSubscription(new Subscription(List.of("payments"))));

    final CoordinatorHarness h = new CoordinatorHarness();
    final GroupCoordinator coordinator = h.coordinator;

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    static OffsetCommitRequestData commit(
            String groupId, String memberId, int generation, String topic, long... offsets) {
        OffsetCommitRequestTopic t = new OffsetCommitRequestTopic().setName(topic);
        for (int p = 0; p < offsets.length; p++) {
            t.partitions()
                    .add(new OffsetCommitRequestPartition()
                            .setPartitionIndex(p)
                            .setCommittedOffset(offsets[p])
                            .setCommittedLeaderEpoch(5)
                            .setCommittedMetadata("m" + p));
        }
        return new OffsetCommitRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation)
                .setTopics(List.of(t));
    }

    List<Errors> commitErrors(int version, OffsetCommitRequestData request) {
        OffsetCommitResponseData response = done(coordinator.commitOffsets(ctx(version), request), version);
        return response.topics().stream()
                .flatMap(t -> t.partitions().stream())
                .map(p -> Errors.forCode(p.errorCode()))
                .toList();
    }

    OffsetFetchResponseGroup fetchV9(String groupId, List<OffsetFetchRequestTopics> topics) {
        OffsetFetchResponseData response = done(
                coordinator.fetchOffsets(
                        ctx(9),
                        new OffsetFetchRequestData()
                                .setGroups(List.of(new OffsetFetchRequestGroup()
                                        .setGroupId(groupId)
                                        .setTopics(topics)))),
                9);
        return response.groups().get(0);
    }

    /** One consumer member, Stable at generation 1, subscribed to "payments". */
    JoinGroupResponseData stableMember() {
        return stableMember(h);
    }

    /** One consumer member of {@link #GROUP} in {@code h}'s coordinator, Stable at generation 1, subscribed to "payments". */
    static JoinGroupResponseData stableMember(CoordinatorHarness h) {
        GroupCoordinator coordinator = h.coordinator;
        JoinGroupResponseData first =
                done(coordinator.joinGroup(ctx(9), joinRequest(GROUP, "", null, protocols("range", SUBSCRIPTION))), 9);
        CompletableFuture<JoinGroupResponseData> join = coordinator.joinGroup(
                ctx(9), joinRequest(GROUP, first.memberId(), null, protocols("range", SUBSCRIPTION)));
        h.timer.advance(3_000);
        JoinGroupResponseData joined = done(join, 9);
        done(
                coordinator.syncGroup(
                        ctx(5),
                        new SyncGroupRequestData()
                                .setGroupId(GROUP)
                                .setMemberId(joined.memberId())
                                .setGenerationId(1)
                                .setAssignments(List.of(new SyncGroupRequestAssignment()
                                        .setMemberId(joined.memberId())
                                        .setAssignment(new byte[0])))),
                5);
        return joined;
    }

    @Test
    void shouldCommitAndFetchWithLeaderEpochAndMetadataInBothFetchForms() {
        JoinGroupResponseData member = stableMember();
        assertThat(commitErrors(9, commit(GROUP, member.memberId(), 1, "payments", 10, 20)))
                .containsOnly(Errors.NONE);

        OffsetFetchResponseGroup v9 = fetchV9(
                GROUP,
                List.of(new OffsetFetchRequestTopics().setName("payments").setPartitionIndexes(List.of(0, 1, 2))));
        assertThat(Errors.forCode(v9.errorCode())).isEqualTo(Errors.NONE);
        List<OffsetFetchResponsePartitions> partitions = v9.topics().get(0).partitions();
        assertThat(partitions)
                .extracting(OffsetFetchResponsePartitions::committedOffset)
                .containsExactly(10L, 20L, -1L);
        assertThat(partitions)
                .extracting(OffsetFetchResponsePartitions::committedLeaderEpoch)
                .containsExactly(5, 5, -1);
        assertThat(partitions)
                .extracting(OffsetFetchResponsePartitions::metadata)
                .containsExactly("m0", "m1", "");

        // all topics (null) in the batched form
        assertThat(fetchV9(GROUP, null).topics())
                .singleElement()
                .satisfies(t -> assertThat(t.partitions()).hasSize(2));

        // v7: single group, top-level topics
        OffsetFetchResponseData v7 = done(
                coordinator.fetchOffsets(
                        ctx(7),
                        new OffsetFetchRequestData()
                                .setGroupId(GROUP)
                                .setTopics(List.of(new OffsetFetchRequestTopic()
                                        .setName("payments")
                                        .setPartitionIndexes(List.of(1))))),
                7);
        assertThat(v7.topics().get(0).partitions().get(0).committedOffset()).isEqualTo(20L);
        assertThat(v7.topics().get(0).partitions().get(0).committedLeaderEpoch())
                .isEqualTo(5);
        // v1: no leader epochs, no top-level error
        OffsetFetchResponseData v1 = done(
                coordinator.fetchOffsets(
                        ctx(1),
                        new OffsetFetchRequestData()
                                .setGroupId(GROUP)
                                .setTopics(List.of(new OffsetFetchRequestTopic()
                                        .setName("payments")
                                        .setPartitionIndexes(List.of(0))))),
                1);
        assertThat(v1.topics().get(0).partitions().get(0).committedOffset()).isEqualTo(10L);

        // several groups in one request, one of them unknown
        OffsetFetchResponseData batch = done(
                coordinator.fetchOffsets(
                        ctx(8),
                        new OffsetFetchRequestData()
                                .setGroups(List.of(
                                        new OffsetFetchRequestGroup()
                                                .setGroupId(GROUP)
                                                .setTopics(null),
                                        new OffsetFetchRequestGroup()
                                                .setGroupId("unknown")
                                                .setTopics(null)))),
                8);
        assertThat(batch.groups()).extracting(OffsetFetchResponseGroup::groupId).containsExactly(GROUP, "unknown");
        assertThat(batch.groups().get(1).topics()).isEmpty();
    }

    @Test
    void shouldRefuseCommitsFromStaleOrUnknownMembersAndDuringTheAssignment() {
        JoinGroupResponseData member = stableMember();
        assertThat(commitErrors(9, commit(GROUP, member.memberId(), 0, "payments", 1)))
                .containsOnly(Errors.ILLEGAL_GENERATION);
        assertThat(commitErrors(9, commit(GROUP, "stranger", 1, "payments", 1))).containsOnly(Errors.UNKNOWN_MEMBER_ID);
        // an admin commit (generation -1) into a group with members
        assertThat(commitErrors(9, commit(GROUP, "", -1, "payments", 1))).containsOnly(Errors.UNKNOWN_MEMBER_ID);

        // a second member joins: PreparingRebalance still takes commits of the current generation
        JoinGroupResponseData second =
                done(coordinator.joinGroup(ctx(9), joinRequest(GROUP, "", null, protocols("range", SUBSCRIPTION))), 9);
        CompletableFuture<JoinGroupResponseData> secondJoin = coordinator.joinGroup(
                ctx(9), joinRequest(GROUP, second.memberId(), null, protocols("range", SUBSCRIPTION)));
        assertThat(commitErrors(9, commit(GROUP, member.memberId(), 1, "payments", 2)))
                .containsOnly(Errors.NONE);
        done(
                coordinator.joinGroup(
                        ctx(9), joinRequest(GROUP, member.memberId(), null, protocols("range", SUBSCRIPTION))),
                9);
        done(secondJoin, 9);
        // CompletingRebalance: the new generation is known but has no assignment yet
        assertThat(commitErrors(9, commit(GROUP, member.memberId(), 2, "payments", 3)))
                .containsOnly(Errors.REBALANCE_IN_PROGRESS);
        assertThat(commitErrors(9, commit(GROUP, member.memberId(), 1, "payments", 3)))
                .containsOnly(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void shouldHandleUnknownGroupsInvalidIdsAndOversizedMetadata() {
        assertThat(commitErrors(9, commit("ghost", "m", 3, "t", 1))).containsOnly(Errors.GROUP_ID_NOT_FOUND);
        assertThat(commitErrors(8, commit("ghost", "m", 3, "t", 1))).containsOnly(Errors.ILLEGAL_GENERATION);
        assertThat(commitErrors(9, commit("", "", -1, "t", 1))).containsOnly(Errors.INVALID_GROUP_ID);

        OffsetCommitRequestData big = commit("simple", "", -1, "t", 1, 2);
        char[] tooLong = new char[4097];
        Arrays.fill(tooLong, 'x');
        big.topics().get(0).partitions().get(1).setCommittedMetadata(new String(tooLong));
        assertThat(commitErrors(9, big)).containsExactly(Errors.NONE, Errors.OFFSET_METADATA_TOO_LARGE);
        OffsetFetchResponseGroup fetched = fetchV9("simple", null);
        assertThat(fetched.topics().get(0).partitions())
                .extracting(OffsetFetchResponsePartitions::partitionIndex)
                .containsExactly(0);

        // the simple group now exists (Empty, no protocol type) and is listed
        ListGroupsResponseData listed = done(coordinator.listGroups(ctx(5), new ListGroupsRequestData()), 5);
        assertThat(listed.groups()).extracting(ListedGroup::groupId).containsExactly("simple");
        assertThat(listed.groups().get(0).groupState()).isEqualTo("Empty");
        assertThat(listed.groups().get(0).protocolType()).isEmpty();
        assertThat(listed.groups().get(0).groupType()).isEqualTo("classic");
    }

    @Test
    void shouldAnswerCoordinatorNotAvailableWhenTheDatabaseIsDown() {
        JoinGroupResponseData member = stableMember();
        h.offsetRepository.failing = new DataAccessResourceFailureException("connection refused");
        assertThat(commitErrors(9, commit(GROUP, member.memberId(), 1, "payments", 1, 2)))
                .containsOnly(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(Errors.forCode(fetchV9(GROUP, null).errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        OffsetFetchResponseData v7 = done(
                coordinator.fetchOffsets(
                        ctx(7), new OffsetFetchRequestData().setGroupId(GROUP).setTopics(null)),
                7);
        assertThat(Errors.forCode(v7.errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);

        // no connection within the pool's timeout
        h.offsetRepository.failing = new CannotCreateTransactionException("pool timed out");
        assertThat(commitErrors(9, commit(GROUP, member.memberId(), 1, "payments", 1, 2)))
                .containsOnly(Errors.COORDINATOR_NOT_AVAILABLE);

        h.offsetRepository.failing = null;
        assertThat(commitErrors(9, commit(GROUP, member.memberId(), 1, "payments", 1, 2)))
                .containsOnly(Errors.NONE);

        // a group the coordinator must load from a database that is down
        h.groupRepository.failing = new DataAccessResourceFailureException("connection refused");
        assertThat(commitErrors(9, commit("not-loaded", "", -1, "t", 1)))
                .containsOnly(Errors.COORDINATOR_NOT_AVAILABLE);
    }

    @Test
    void shouldListFilterAndDeleteGroups() {
        JoinGroupResponseData member = stableMember();
        assertThat(commitErrors(9, commit("simple", "", -1, "t", 1))).containsOnly(Errors.NONE);

        ListGroupsResponseData stable = done(
                coordinator.listGroups(
                        ctx(5),
                        new ListGroupsRequestData()
                                .setStatesFilter(List.of("stable"))
                                .setTypesFilter(List.of("classic"))),
                5);
        assertThat(stable.groups()).extracting(ListedGroup::groupId).containsExactly(GROUP);
        assertThat(done(
                                coordinator.listGroups(
                                        ctx(5), new ListGroupsRequestData().setTypesFilter(List.of("consumer"))),
                                5)
                        .groups())
                .isEmpty();
        assertThat(done(coordinator.listGroups(ctx(2), new ListGroupsRequestData()), 2)
                        .groups())
                .hasSize(2);

        var deleted = done(
                coordinator.deleteGroups(
                        ctx(2), new DeleteGroupsRequestData().setGroupsNames(List.of(GROUP, "simple", "ghost", ""))),
                2);
        assertThat(deleted.results())
                .extracting(r -> r.groupId() + "=" + Errors.forCode(r.errorCode()))
                .containsExactlyInAnyOrder(
                        GROUP + "=NON_EMPTY_GROUP", "simple=NONE", "ghost=GROUP_ID_NOT_FOUND", "=INVALID_GROUP_ID");
        assertThat(fetchV9("simple", null).topics()).isEmpty();
        assertThat(h.groupRepository.findById("simple")).isEmpty();
        assertThat(member).isNotNull();
    }

    @Test
    void shouldDeleteOffsetsOnlyOfTopicsNoMemberSubscribesTo() {
        JoinGroupResponseData member = stableMember();
        assertThat(commitErrors(9, commit(GROUP, member.memberId(), 1, "payments", 1)))
                .containsOnly(Errors.NONE);
        assertThat(commitErrors(9, commit(GROUP, member.memberId(), 1, "old-topic", 1)))
                .containsOnly(Errors.NONE);

        OffsetDeleteRequestTopicCollection topics = new OffsetDeleteRequestTopicCollection();
        for (String name : List.of("payments", "old-topic")) {
            OffsetDeleteRequestTopic topic = new OffsetDeleteRequestTopic().setName(name);
            topic.partitions().add(new OffsetDeleteRequestPartition().setPartitionIndex(0));
            topics.add(topic);
        }
        OffsetDeleteResponseData response = done(
                coordinator.deleteOffsets(
                        ctx(0), new OffsetDeleteRequestData().setGroupId(GROUP).setTopics(topics)),
                0);
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(
                        response.topics().find("payments").partitions().find(0).errorCode()))
                .isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC);
        assertThat(Errors.forCode(
                        response.topics().find("old-topic").partitions().find(0).errorCode()))
                .isEqualTo(Errors.NONE);
        assertThat(fetchV9(GROUP, null).topics()).extracting(t -> t.name()).containsExactly("payments");

        OffsetDeleteResponseData unknown = done(
                coordinator.deleteOffsets(
                        ctx(0),
                        new OffsetDeleteRequestData()
                                .setGroupId("ghost")
                                .setTopics(new OffsetDeleteRequestTopicCollection())),
                0);
        assertThat(Errors.forCode(unknown.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void shouldUnloadIdleEmptyGroupsAndReloadThemFromTheDatabase() {
        JoinGroupResponseData member = stableMember();
        assertThat(commitErrors(9, commit(GROUP, member.memberId(), 1, "payments", 7)))
                .containsOnly(Errors.NONE);
        done(
                coordinator.leaveGroup(
                        ctx(0),
                        new org.apache.kafka.common.message.LeaveGroupRequestData()
                                .setGroupId(GROUP)
                                .setMemberId(member.memberId())),
                0);
        var before = h.registry.cached(GROUP);
        assertThat(before).isNotNull();

        h.timer.advance(Duration.ofMinutes(10).toMillis() - 1);
        h.expiration.run();
        assertThat(h.registry.cached(GROUP)).isSameAs(before);
        h.timer.advance(1);
        h.expiration.run();
        assertThat(h.registry.cached(GROUP)).isNull();

        // the next request loads it: Empty, same generation, offsets untouched
        var described = done(
                coordinator.describeGroups(
                        ctx(5),
                        new org.apache.kafka.common.message.DescribeGroupsRequestData().setGroups(List.of(GROUP))),
                5);
        assertThat(described.groups().get(0).groupState()).isEqualTo("Empty");
        assertThat(h.membership.view(h.registry.cached(GROUP)).generationId()).isEqualTo(2);
        assertThat(fetchV9(GROUP, null).topics()).hasSize(1);
    }

    @Test
    void shouldExpireOffsetsOfGroupsWithoutMembersAfterTheRetention() {
        JoinGroupResponseData member = stableMember();
        assertThat(commitErrors(9, commit(GROUP, member.memberId(), 1, "payments", 7)))
                .containsOnly(Errors.NONE);
        assertThat(commitErrors(9, commit("simple", "", -1, "t", 1))).containsOnly(Errors.NONE);
        long week = Duration.ofDays(7).toMillis();

        // the member heartbeats (in reality); here it simply stays: a group with members keeps its offsets
        h.timer.advance(3_000);
        done(
                coordinator.heartbeat(
                        ctx(4),
                        new org.apache.kafka.common.message.HeartbeatRequestData()
                                .setGroupId(GROUP)
                                .setMemberId(member.memberId())
                                .setGenerationId(1)),
                4);
        done(
                coordinator.leaveGroup(
                        ctx(0),
                        new org.apache.kafka.common.message.LeaveGroupRequestData()
                                .setGroupId(GROUP)
                                .setMemberId(member.memberId())),
                0);
        long emptySince = h.timer.nowMs();

        h.timer.advance(week - 3_000 - 1);
        assertThat(h.expiration.run()).isZero();
        assertThat(fetchV9("simple", null).topics()).hasSize(1);
        h.timer.advance(1);
        // the simple group: a week since its commit; its group goes with its last offset
        assertThat(h.expiration.run()).isEqualTo(1);
        assertThat(fetchV9("simple", null).topics()).isEmpty();
        assertThat(fetchV9(GROUP, null).topics()).hasSize(1);

        h.timer.advance(emptySince + week - h.timer.nowMs());
        assertThat(h.expiration.run()).isEqualTo(1);
        assertThat(fetchV9(GROUP, null).topics()).isEmpty();
        assertThat(done(coordinator.listGroups(ctx(5), new ListGroupsRequestData()), 5)
                        .groups())
                .isEmpty();
    }
}
