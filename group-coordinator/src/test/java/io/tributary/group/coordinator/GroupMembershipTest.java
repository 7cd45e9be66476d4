package io.tributary.group.coordinator;

import static io.tributary.group.testing.CoordinatorHarness.REBALANCE_MS;
import static io.tributary.group.testing.CoordinatorHarness.SESSION_MS;
import static io.tributary.group.testing.CoordinatorHarness.ctx;
import static io.tributary.group.testing.CoordinatorHarness.done;
import static io.tributary.group.testing.CoordinatorHarness.joinRequest;
import static io.tributary.group.testing.CoordinatorHarness.protocols;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.testing.CoordinatorHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The classic group protocol through {@link GroupCoordinator}, with real request data and manual time. */
class GroupMembershipTest {

    static final String GROUP = "orders";
    static final byte[] RANGE_META = "range-subscription".getBytes(StandardCharsets.UTF_8);

    final CoordinatorHarness h = new CoordinatorHarness();
    final GroupCoordinator coordinator = h.coordinator;

    // ------------------------------------------------------------------ helpers

    CompletableFuture<JoinGroupResponseData> join(int version, JoinGroupRequestData request) {
        return coordinator.joinGroup(ctx(version), request);
    }

    /** The 4.x consumer's two joins: MEMBER_ID_REQUIRED, then the join with that id (held). */
    CompletableFuture<JoinGroupResponseData> joinNew(String groupId) {
        JoinGroupResponseData first = done(join(9, joinRequest(groupId, "", null, protocols("range", RANGE_META))), 9);
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(first.memberId()).startsWith("client-");
        return join(9, joinRequest(groupId, first.memberId(), null, protocols("range", RANGE_META)));
    }

    CompletableFuture<SyncGroupResponseData> sync(
            String memberId, int generation, SyncGroupRequestAssignment... assignments) {
        return coordinator.syncGroup(
                ctx(5),
                new SyncGroupRequestData()
                        .setGroupId(GROUP)
                        .setMemberId(memberId)
                        .setGenerationId(generation)
                        .setProtocolType("consumer")
                        .setProtocolName("range")
                        .setAssignments(List.of(assignments)));
    }

    Errors heartbeat(String memberId, int generation) {
        return Errors.forCode(done(
                        coordinator.heartbeat(
                                ctx(4),
                                new HeartbeatRequestData()
                                        .setGroupId(GROUP)
                                        .setMemberId(memberId)
                                        .setGenerationId(generation)),
                        4)
                .errorCode());
    }

    Errors heartbeatStatic(String memberId, String instanceId, int generation) {
        return Errors.forCode(done(
                        coordinator.heartbeat(
                                ctx(4),
                                new HeartbeatRequestData()
                                        .setGroupId(GROUP)
                                        .setMemberId(memberId)
                                        .setGroupInstanceId(instanceId)
                                        .setGenerationId(generation)),
                        4)
                .errorCode());
    }

    DescribedGroup describe(String groupId, int version) {
        return done(
                        coordinator.describeGroups(
                                ctx(version), new DescribeGroupsRequestData().setGroups(List.of(groupId))),
                        version)
                .groups()
                .get(0);
    }

    static SyncGroupRequestAssignment assign(String memberId, String assignment) {
        return new SyncGroupRequestAssignment()
                .setMemberId(memberId)
                .setAssignment(assignment.getBytes(StandardCharsets.UTF_8));
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** One member, through the initial delay, synced: Stable at generation 1. */
    JoinGroupResponseData stableSingleMember() {
        CompletableFuture<JoinGroupResponseData> joined = joinNew(GROUP);
        assertThat(joined).isNotDone();
        h.timer.advance(3_000);
        JoinGroupResponseData response = done(joined, 9);
        done(sync(response.memberId(), response.generationId(), assign(response.memberId(), "all")), 5);
        return response;
    }

    // ------------------------------------------------------------------ tests

    @Test
    void shouldAskForAMemberIdOnTheFirstJoinFromV4On() {
        JoinGroupResponseData v9 = done(join(9, joinRequest(GROUP, "", null, protocols("range", RANGE_META))), 9);
        assertThat(Errors.forCode(v9.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(v9.memberId()).isNotEmpty();

        // before v4 the first join is the real one: held for the initial rebalance delay
        CompletableFuture<JoinGroupResponseData> v3 =
                join(3, joinRequest("old-clients", "", null, protocols("range", RANGE_META)));
        assertThat(v3).isNotDone();
        h.timer.advance(3_000);
        JoinGroupResponseData joined = done(v3, 3);
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(joined.memberId());
    }

    @Test
    void shouldHoldTheFirstJoinForTheInitialDelayThenMakeTheMemberLeaderAndStable() {
        CompletableFuture<JoinGroupResponseData> joined = joinNew(GROUP);
        h.timer.advance(2_999);
        assertThat(joined).isNotDone();
        assertThat(describe(GROUP, 5).groupState()).isEqualTo("PreparingRebalance");
        h.timer.advance(1);
        JoinGroupResponseData response = done(joined, 9);
        assertThat(response.generationId()).isEqualTo(1);
        assertThat(response.protocolName()).isEqualTo("range");
        assertThat(response.protocolType()).isEqualTo("consumer");
        assertThat(response.members())
                .extracting(JoinGroupResponseMember::memberId)
                .containsExactly(response.memberId());
        assertThat(describe(GROUP, 5).groupState()).isEqualTo("CompletingRebalance");

        SyncGroupResponseData synced = done(sync(response.memberId(), 1, assign(response.memberId(), "p0,p1")), 5);
        assertThat(text(synced.assignment())).isEqualTo("p0,p1");
        assertThat(synced.protocolName()).isEqualTo("range");
        assertThat(heartbeat(response.memberId(), 1)).isEqualTo(Errors.NONE);

        DescribedGroup described = describe(GROUP, 5);
        assertThat(described.groupState()).isEqualTo("Stable");
        assertThat(described.protocolData()).isEqualTo("range");
        assertThat(described.members()).hasSize(1);
        assertThat(text(described.members().get(0).memberAssignment())).isEqualTo("p0,p1");
        assertThat(described.members().get(0).clientId()).isEqualTo("client");
    }

    @Test
    void shouldRebalanceWhenANewMemberJoins() {
        JoinGroupResponseData a = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> bJoin = joinNew(GROUP);
        assertThat(bJoin).isNotDone();
        assertThat(heartbeat(a.memberId(), 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

        CompletableFuture<JoinGroupResponseData> aJoin =
                join(9, joinRequest(GROUP, a.memberId(), null, protocols("range", RANGE_META)));
        // everyone is back: no need to wait for the rebalance timeout
        JoinGroupResponseData aResponse = done(aJoin, 9);
        JoinGroupResponseData bResponse = done(bJoin, 9);
        assertThat(aResponse.generationId()).isEqualTo(2).isEqualTo(bResponse.generationId());
        assertThat(aResponse.leader()).isEqualTo(a.memberId()).isEqualTo(bResponse.leader());
        assertThat(aResponse.members()).hasSize(2);
        assertThat(bResponse.members()).isEmpty();

        CompletableFuture<SyncGroupResponseData> bSync = sync(bResponse.memberId(), 2);
        assertThat(bSync).isNotDone();
        SyncGroupResponseData aSync =
                done(sync(a.memberId(), 2, assign(a.memberId(), "p0"), assign(bResponse.memberId(), "p1")), 5);
        assertThat(text(aSync.assignment())).isEqualTo("p0");
        assertThat(text(done(bSync, 5).assignment())).isEqualTo("p1");
        assertThat(heartbeat(bResponse.memberId(), 2)).isEqualTo(Errors.NONE);
        assertThat(heartbeat(a.memberId(), 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void shouldExpelAMemberWhoseSessionTimesOut() {
        JoinGroupResponseData a = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> bJoin = joinNew(GROUP);
        done(join(9, joinRequest(GROUP, a.memberId(), null, protocols("range", RANGE_META))), 9);
        JoinGroupResponseData b = done(bJoin, 9);
        done(sync(a.memberId(), 2, assign(a.memberId(), "p0"), assign(b.memberId(), "p1")), 5);
        done(sync(b.memberId(), 2), 5);

        // a keeps heartbeating, b falls silent
        for (int i = 0; i < 3; i++) {
            h.timer.advance(SESSION_MS / 3);
            assertThat(heartbeat(a.memberId(), 2)).isEqualTo(Errors.NONE);
        }
        h.timer.advance(SESSION_MS - 3 * (SESSION_MS / 3));
        assertThat(heartbeat(a.memberId(), 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(heartbeat(b.memberId(), 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(describe(GROUP, 5).groupState()).isEqualTo("PreparingRebalance");
        // a's heartbeat (it is the only member left, but not yet rejoined) says: rejoin
        JoinGroupResponseData rejoined =
                done(join(9, joinRequest(GROUP, a.memberId(), null, protocols("range", RANGE_META))), 9);
        assertThat(rejoined.generationId()).isEqualTo(3);
        assertThat(rejoined.members()).hasSize(1);
    }

    @Test
    void shouldKeepAStableGroupsMembersAcrossAMoveAndExpireTheOnesThatStopHeartbeating() {
        JoinGroupResponseData a = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> bJoin = joinNew(GROUP);
        done(join(9, joinRequest(GROUP, a.memberId(), null, protocols("range", RANGE_META))), 9);
        JoinGroupResponseData b = done(bJoin, 9);
        done(sync(a.memberId(), 2, assign(a.memberId(), "p0"), assign(b.memberId(), "p1")), 5);
        done(sync(b.memberId(), 2), 5);
        assertThat(h.classicGroups.get(GROUP).generationId()).isEqualTo(2);

        // the group's partition moves: unloaded here, then claimed and loaded from the store
        int partition = GroupPartitionOwner.partitionOf(GROUP);
        h.membership.unloadPartition(partition);
        h.timer.advance(SESSION_MS - 1); // the old sessions would end now; the load starts new ones
        assertThat(h.membership.loadPartitions(Set.of(partition))).isEqualTo(1);
        DescribedGroup moved = describe(GROUP, 5);
        assertThat(moved.groupState()).isEqualTo("Stable");
        assertThat(moved.protocolData()).isEqualTo("range");
        assertThat(moved.members())
                .extracting(m -> m.memberId(), m -> text(m.memberAssignment()), m -> text(m.memberMetadata()))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(a.memberId(), "p0", text(RANGE_META)),
                        org.assertj.core.groups.Tuple.tuple(b.memberId(), "p1", text(RANGE_META)));

        // a heartbeats on in generation 2 with no rebalance; b fell silent and expires
        for (int i = 0; i < 3; i++) {
            h.timer.advance(SESSION_MS / 3);
            assertThat(heartbeat(a.memberId(), 2)).isEqualTo(Errors.NONE);
        }
        h.timer.advance(SESSION_MS - 3 * (SESSION_MS / 3));
        assertThat(heartbeat(b.memberId(), 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(heartbeat(a.memberId(), 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

        // a group that empties keeps no members in the store
        done(
                coordinator.leaveGroup(
                        ctx(5),
                        new LeaveGroupRequestData()
                                .setGroupId(GROUP)
                                .setMembers(List.of(new MemberIdentity().setMemberId(a.memberId())))),
                5);
        assertThat(describe(GROUP, 5).groupState()).isEqualTo("Empty");
        assertThat(h.classicGroups).doesNotContainKey(GROUP);
    }

    @Test
    void shouldDropMembersThatDoNotRejoinWithinTheRebalanceTimeout() {
        JoinGroupResponseData a = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> bJoin = joinNew(GROUP);
        // a never rejoins (a consumer stuck past max.poll.interval.ms), but heartbeats
        for (int i = 0; i < 9; i++) {
            h.timer.advance(3_000);
            assertThat(heartbeat(a.memberId(), 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        }
        h.timer.advance(REBALANCE_MS - 27_001);
        assertThat(bJoin).isNotDone();
        h.timer.advance(1);
        JoinGroupResponseData b = done(bJoin, 9);
        assertThat(b.generationId()).isEqualTo(2);
        assertThat(b.leader()).isEqualTo(b.memberId());
        assertThat(b.members()).extracting(JoinGroupResponseMember::memberId).containsExactly(b.memberId());
        assertThat(heartbeat(a.memberId(), 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRebalanceWhenAFollowerNeverSyncs() {
        JoinGroupResponseData a = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> bJoin = joinNew(GROUP);
        done(join(9, joinRequest(GROUP, a.memberId(), null, protocols("range", RANGE_META))), 9);
        JoinGroupResponseData b = done(bJoin, 9);
        done(sync(a.memberId(), 2, assign(a.memberId(), "p0"), assign(b.memberId(), "p1")), 5);
        // both heartbeat, b never sends its SyncGroup
        for (int i = 0; i < 10; i++) {
            h.timer.advance(3_000);
            assertThat(heartbeat(a.memberId(), 2)).isEqualTo(i < 9 ? Errors.NONE : Errors.REBALANCE_IN_PROGRESS);
            heartbeat(b.memberId(), 2);
        }
        assertThat(describe(GROUP, 5).groupState()).isEqualTo("PreparingRebalance");
        assertThat(describe(GROUP, 5).members()).hasSize(1);
    }

    @Test
    void shouldAnswerPendingFollowersWithRebalanceInProgressWhenTheGroupRebalancesBeforeTheLeaderSyncs() {
        JoinGroupResponseData a = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> bJoin = joinNew(GROUP);
        done(join(9, joinRequest(GROUP, a.memberId(), null, protocols("range", RANGE_META))), 9);
        JoinGroupResponseData b = done(bJoin, 9);
        CompletableFuture<SyncGroupResponseData> bSync = sync(b.memberId(), 2);
        joinNew(GROUP);
        assertThat(Errors.forCode(done(bSync, 5).errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void shouldLeaveByMemberIdAndByInstanceIdAndBecomeEmpty() {
        JoinGroupResponseData a = stableSingleMember();
        LeaveGroupResponseData unknown = done(
                coordinator.leaveGroup(
                        ctx(5),
                        new LeaveGroupRequestData()
                                .setGroupId(GROUP)
                                .setMembers(List.of(new MemberIdentity().setMemberId("nobody")))),
                5);
        assertThat(unknown.members())
                .extracting(m -> Errors.forCode(m.errorCode()))
                .containsExactly(Errors.UNKNOWN_MEMBER_ID);

        LeaveGroupResponseData left = done(
                coordinator.leaveGroup(
                        ctx(5),
                        new LeaveGroupRequestData()
                                .setGroupId(GROUP)
                                .setMembers(List.of(new MemberIdentity()
                                        .setMemberId(a.memberId())
                                        .setReason("closing")))),
                5);
        assertThat(left.members())
                .extracting(m -> Errors.forCode(m.errorCode()))
                .containsExactly(Errors.NONE);
        DescribedGroup described = describe(GROUP, 5);
        assertThat(described.groupState()).isEqualTo("Empty");
        assertThat(described.members()).isEmpty();
        assertThat(heartbeat(a.memberId(), 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        // v0-2: one member, top-level error
        LeaveGroupResponseData v1 = done(
                coordinator.leaveGroup(
                        ctx(1), new LeaveGroupRequestData().setGroupId(GROUP).setMemberId(a.memberId())),
                1);
        assertThat(Errors.forCode(v1.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldKeepTheAssignmentOfAStaticMemberThatRejoinsWithoutARebalance() {
        CompletableFuture<JoinGroupResponseData> aJoin =
                join(9, joinRequest(GROUP, "", "instance-a", protocols("range", RANGE_META)));
        CompletableFuture<JoinGroupResponseData> bJoin =
                join(9, joinRequest(GROUP, "", "instance-b", protocols("range", RANGE_META)));
        // static members skip MEMBER_ID_REQUIRED; each new member extends the initial delay
        h.timer.advance(3_000);
        assertThat(aJoin).isNotDone();
        h.timer.advance(3_000);
        JoinGroupResponseData a = done(aJoin, 9);
        JoinGroupResponseData b = done(bJoin, 9);
        assertThat(a.members())
                .extracting(JoinGroupResponseMember::groupInstanceId)
                .containsExactlyInAnyOrder("instance-a", "instance-b");
        done(sync(a.memberId(), 1, assign(a.memberId(), "p0"), assign(b.memberId(), "p1")), 5);
        done(sync(b.memberId(), 1), 5);

        // b restarts: same instance id, no member id
        JoinGroupResponseData bAgain =
                done(join(9, joinRequest(GROUP, "", "instance-b", protocols("range", RANGE_META))), 9);
        assertThat(Errors.forCode(bAgain.errorCode())).isEqualTo(Errors.NONE);
        assertThat(bAgain.generationId()).isEqualTo(1);
        assertThat(bAgain.memberId()).isNotEqualTo(b.memberId());
        assertThat(bAgain.skipAssignment()).isFalse();
        assertThat(describe(GROUP, 5).groupState()).isEqualTo("Stable");
        SyncGroupResponseData bSync = done(
                coordinator.syncGroup(
                        ctx(5),
                        new SyncGroupRequestData()
                                .setGroupId(GROUP)
                                .setMemberId(bAgain.memberId())
                                .setGroupInstanceId("instance-b")
                                .setGenerationId(1)),
                5);
        assertThat(text(bSync.assignment())).isEqualTo("p1");
        assertThat(heartbeatStatic(b.memberId(), "instance-b", 1)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(heartbeatStatic(bAgain.memberId(), "instance-b", 1)).isEqualTo(Errors.NONE);
        assertThat(heartbeatStatic(a.memberId(), "instance-a", 1)).isEqualTo(Errors.NONE);

        // the leader restarts: told to skip the assignment (v9), still sees the members
        JoinGroupResponseData aAgain =
                done(join(9, joinRequest(GROUP, "", "instance-a", protocols("range", RANGE_META))), 9);
        assertThat(aAgain.skipAssignment()).isTrue();
        assertThat(aAgain.leader()).isEqualTo(aAgain.memberId());
        assertThat(aAgain.members()).hasSize(2);
        assertThat(describe(GROUP, 5).groupState()).isEqualTo("Stable");
    }

    @Test
    void shouldCarryCooperativeProtocolsAndAssignmentsByteForByte() {
        byte[] cooperative = new byte[] {0, 3, 1, 2, -1, 7};
        byte[] ownedPartitions = new byte[] {0, 3, 9, 9, 0, 0, 0, 4};
        CompletableFuture<JoinGroupResponseData> first = join(
                9, joinRequest(GROUP, "", "i-1", protocols("cooperative-sticky", cooperative, "range", RANGE_META)));
        CompletableFuture<JoinGroupResponseData> second = join(
                9, joinRequest(GROUP, "", "i-2", protocols("cooperative-sticky", cooperative, "range", RANGE_META)));
        h.timer.advance(6_000);
        JoinGroupResponseData leader = done(first, 9);
        JoinGroupResponseData follower = done(second, 9);
        assertThat(leader.protocolName()).isEqualTo("cooperative-sticky");
        assertThat(leader.members()).allSatisfy(m -> assertThat(m.metadata()).isEqualTo(cooperative));
        done(
                coordinator.syncGroup(
                        ctx(5),
                        new SyncGroupRequestData()
                                .setGroupId(GROUP)
                                .setMemberId(leader.memberId())
                                .setGroupInstanceId("i-1")
                                .setGenerationId(1)
                                .setProtocolType("consumer")
                                .setProtocolName("cooperative-sticky")
                                .setAssignments(List.of(
                                        new SyncGroupRequestAssignment()
                                                .setMemberId(leader.memberId())
                                                .setAssignment(ownedPartitions),
                                        new SyncGroupRequestAssignment()
                                                .setMemberId(follower.memberId())
                                                .setAssignment(new byte[0])))),
                5);
        SyncGroupResponseData followerSync = done(
                coordinator.syncGroup(
                        ctx(5),
                        new SyncGroupRequestData()
                                .setGroupId(GROUP)
                                .setMemberId(follower.memberId())
                                .setGroupInstanceId("i-2")
                                .setGenerationId(1)
                                .setProtocolType("consumer")
                                .setProtocolName("cooperative-sticky")),
                5);
        assertThat(followerSync.assignment()).isEmpty();
        assertThat(followerSync.protocolName()).isEqualTo("cooperative-sticky");
        assertThat(describe(GROUP, 5).members())
                .filteredOn(m -> m.memberId().equals(leader.memberId()))
                .singleElement()
                .satisfies(m -> assertThat(m.memberAssignment()).isEqualTo(ownedPartitions));

        // a member that only speaks range makes range the only common protocol
        CompletableFuture<JoinGroupResponseData> third =
                join(9, joinRequest(GROUP, "", "i-3", protocols("range", RANGE_META)));
        CompletableFuture<JoinGroupResponseData> l2 = join(
                9,
                joinRequest(
                        GROUP,
                        leader.memberId(),
                        "i-1",
                        protocols("cooperative-sticky", cooperative, "range", RANGE_META)));
        assertThat(third).isNotDone();
        CompletableFuture<JoinGroupResponseData> f2 = join(
                9,
                joinRequest(
                        GROUP,
                        follower.memberId(),
                        "i-2",
                        protocols("cooperative-sticky", cooperative, "range", RANGE_META)));
        assertThat(done(third, 9).protocolName()).isEqualTo("range");
        assertThat(done(l2, 9).members())
                .extracting(JoinGroupResponseMember::metadata)
                .containsExactlyInAnyOrder(RANGE_META, RANGE_META, RANGE_META);
        assertThat(done(f2, 9).generationId()).isEqualTo(2);
    }

    @Test
    void shouldRejectJoinsThatBreakTheGroupsRules() {
        JoinGroupRequestData badSession =
                joinRequest(GROUP, "", null, protocols("range", RANGE_META)).setSessionTimeoutMs(1_000);
        assertThat(Errors.forCode(done(join(9, badSession), 9).errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        assertThat(Errors.forCode(done(join(9, joinRequest("", "", null, protocols("range", RANGE_META))), 9)
                        .errorCode()))
                .isEqualTo(Errors.INVALID_GROUP_ID);
        assertThat(Errors.forCode(done(
                                join(9, joinRequest("unknown", "some-id", null, protocols("range", RANGE_META))), 9)
                        .errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        stableSingleMember();
        JoinGroupRequestData otherProtocol = joinRequest(GROUP, "", null, protocols("roundrobin", RANGE_META));
        assertThat(Errors.forCode(done(join(9, otherProtocol), 9).errorCode()))
                .isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        JoinGroupRequestData otherType =
                joinRequest(GROUP, "", null, protocols("range", RANGE_META)).setProtocolType("connect");
        assertThat(Errors.forCode(done(join(9, otherType), 9).errorCode()))
                .isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void shouldRefuseMembersBeyondTheMaximumGroupSize() {
        CoordinatorHarness small = new CoordinatorHarness(CoordinatorHarness.properties(Duration.ofSeconds(3), 1));
        done(small.coordinator.joinGroup(ctx(9), joinRequest(GROUP, "", null, protocols("range", RANGE_META))), 9);
        JoinGroupResponseData second = done(
                small.coordinator.joinGroup(ctx(9), joinRequest(GROUP, "", null, protocols("range", RANGE_META))), 9);
        assertThat(Errors.forCode(second.errorCode())).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
    }

    @Test
    void shouldForgetAMemberIdThatNeverCameBack() {
        JoinGroupResponseData a = stableSingleMember();
        JoinGroupResponseData pending = done(join(9, joinRequest(GROUP, "", null, protocols("range", RANGE_META))), 9);
        assertThat(Errors.forCode(pending.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        h.timer.advance(SESSION_MS - 1);
        assertThat(heartbeat(a.memberId(), 1)).isEqualTo(Errors.NONE);
        h.timer.advance(1);
        JoinGroupResponseData late =
                done(join(9, joinRequest(GROUP, pending.memberId(), null, protocols("range", RANGE_META))), 9);
        assertThat(Errors.forCode(late.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldAnswerSyncAndHeartbeatErrors() {
        JoinGroupResponseData a = stableSingleMember();
        assertThat(Errors.forCode(done(sync("ghost", 1), 5).errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(Errors.forCode(done(sync(a.memberId(), 7), 5).errorCode())).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(Errors.forCode(done(
                                coordinator.syncGroup(
                                        ctx(5),
                                        new SyncGroupRequestData()
                                                .setGroupId(GROUP)
                                                .setMemberId(a.memberId())
                                                .setGenerationId(1)
                                                .setProtocolType("consumer")
                                                .setProtocolName("roundrobin")),
                                5)
                        .errorCode()))
                .isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(heartbeat("ghost", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(Errors.forCode(done(
                                coordinator.heartbeat(
                                        ctx(4),
                                        new HeartbeatRequestData()
                                                .setGroupId("nope")
                                                .setMemberId("x")
                                                .setGenerationId(1)),
                                4)
                        .errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldDescribeUnknownGroupsAsDeadOrNotFoundByVersion() {
        DescribedGroup v5 = describe("nope", 5);
        assertThat(Errors.forCode(v5.errorCode())).isEqualTo(Errors.NONE);
        assertThat(v5.groupState()).isEqualTo("Dead");
        DescribedGroup v6 = describe("nope", 6);
        assertThat(Errors.forCode(v6.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(Errors.forCode(describe("", 6).errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
    }
}
