package io.tributary.group.coordinator;

import static io.tributary.group.testing.CoordinatorHarness.ctx;
import static io.tributary.group.testing.CoordinatorHarness.done;
import static io.tributary.group.testing.CoordinatorHarness.joinRequest;
import static io.tributary.group.testing.CoordinatorHarness.protocols;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.group.testing.CoordinatorHarness;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every answer, success and error, writes at every version the handlers advertise: a field a
 * version lacks must hold its default, a field a version cannot null must not be null.
 */
class ResponseVersionsTest {

    static Stream<Arguments> versions(ApiKeys key, int max) {
        return IntStream.rangeClosed(key.oldestVersion(), Math.min(max, key.latestVersion(false)))
                .mapToObj(v -> Arguments.of((short) v));
    }

    static Stream<Arguments> joinVersions() {
        return versions(ApiKeys.JOIN_GROUP, 99);
    }

    static Stream<Arguments> offsetCommitVersions() {
        return versions(ApiKeys.OFFSET_COMMIT, 9);
    }

    static Stream<Arguments> txnOffsetCommitVersions() {
        return versions(ApiKeys.TXN_OFFSET_COMMIT, 4);
    }

    static Stream<Arguments> offsetFetchVersions() {
        return versions(ApiKeys.OFFSET_FETCH, 9);
    }

    static Stream<Arguments> describeVersions() {
        return versions(ApiKeys.DESCRIBE_GROUPS, 99);
    }

    static Stream<Arguments> listVersions() {
        return versions(ApiKeys.LIST_GROUPS, 99);
    }

    static Stream<Arguments> leaveVersions() {
        return versions(ApiKeys.LEAVE_GROUP, 99);
    }

    static Stream<Arguments> deleteVersions() {
        return versions(ApiKeys.DELETE_GROUPS, 99);
    }

    final CoordinatorHarness h = new CoordinatorHarness();
    final GroupCoordinator coordinator = h.coordinator;

    /** A Stable group of one member joined at {@code version} (static from v5); returns the join. */
    JoinGroupResponseData stable(short version) {
        String instance = version >= 5 ? "static-1" : null;
        JoinGroupResponseData joined;
        if (version >= 4 && instance == null) {
            JoinGroupResponseData first = done(
                    coordinator.joinGroup(ctx(version), joinRequest("g", "", null, protocols("range", new byte[] {1}))),
                    version);
            assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
            CompletableFuture<JoinGroupResponseData> f = coordinator.joinGroup(
                    ctx(version), joinRequest("g", first.memberId(), null, protocols("range", new byte[] {1})));
            h.timer.advance(3_000);
            joined = done(f, version);
        } else {
            CompletableFuture<JoinGroupResponseData> f = coordinator.joinGroup(
                    ctx(version), joinRequest("g", "", instance, protocols("range", new byte[] {1})));
            h.timer.advance(3_000);
            joined = done(f, version);
        }
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        short syncVersion = (short) Math.min(version, ApiKeys.SYNC_GROUP.latestVersion(false));
        done(
                coordinator.syncGroup(
                        ctx(syncVersion),
                        new SyncGroupRequestData()
                                .setGroupId("g")
                                .setMemberId(joined.memberId())
                                .setGroupInstanceId(instance)
                                .setGenerationId(joined.generationId())
                                .setAssignments(List.of(new SyncGroupRequestAssignment()
                                        .setMemberId(joined.memberId())
                                        .setAssignment(new byte[] {2})))),
                syncVersion);
        return joined;
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("joinVersions")
    void joinSyncHeartbeatAndTheirErrorsWriteAtEveryVersion(short version) {
        JoinGroupResponseData joined = stable(version);
        // errors
        done(coordinator.joinGroup(ctx(version), joinRequest("", "", null, protocols("range", new byte[0]))), version);
        done(
                coordinator.joinGroup(ctx(version), joinRequest("g", "nobody", null, protocols("range", new byte[0]))),
                version);
        // a rejoin of the current member in Stable (no rebalance), and the static replacement
        done(
                coordinator.joinGroup(
                        ctx(version),
                        joinRequest(
                                "g",
                                joined.memberId(),
                                version >= 5 ? "static-1" : null,
                                protocols("range", new byte[] {1}))),
                version);
        short syncVersion = (short) Math.min(version, ApiKeys.SYNC_GROUP.latestVersion(false));
        done(
                coordinator.syncGroup(
                        ctx(syncVersion),
                        new SyncGroupRequestData()
                                .setGroupId("g")
                                .setMemberId("nobody")
                                .setGenerationId(1)),
                syncVersion);
        short heartbeatVersion = (short) Math.min(version, ApiKeys.HEARTBEAT.latestVersion(false));
        done(
                coordinator.heartbeat(
                        ctx(heartbeatVersion),
                        new HeartbeatRequestData()
                                .setGroupId("g")
                                .setMemberId("nobody")
                                .setGenerationId(1)),
                heartbeatVersion);
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("leaveVersions")
    void leaveWritesAtEveryVersion(short version) {
        JoinGroupResponseData joined = stable((short) 4);
        LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId("g");
        if (version >= 3) {
            request.setMembers(List.of(
                    new MemberIdentity().setMemberId(joined.memberId()), new MemberIdentity().setMemberId("nobody")));
        } else {
            request.setMemberId(joined.memberId());
        }
        done(coordinator.leaveGroup(ctx(version), request), version);
        done(
                coordinator.leaveGroup(
                        ctx(version),
                        new LeaveGroupRequestData()
                                .setGroupId("unknown")
                                .setMemberId("x")
                                .setMembers(version >= 3 ? List.of(new MemberIdentity().setMemberId("x")) : List.of())),
                version);
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("offsetCommitVersions")
    void offsetCommitAndItsErrorsWriteAtEveryVersion(short version) {
        OffsetCommitRequestData request = new OffsetCommitRequestData()
                .setGroupId("simple")
                .setGenerationIdOrMemberEpoch(-1)
                .setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestTopic()
                        .setName("t")
                        .setPartitions(List.of(new OffsetCommitRequestPartition()
                                .setPartitionIndex(0)
                                .setCommittedOffset(5)
                                .setCommittedLeaderEpoch(version >= 6 ? 1 : -1)
                                .setCommittedMetadata("m")))));
        done(coordinator.commitOffsets(ctx(version), request), version);
        done(
                coordinator.commitOffsets(
                        ctx(version),
                        request.duplicate()
                                .setGroupId("ghost")
                                .setGenerationIdOrMemberEpoch(3)
                                .setMemberId("m")),
                version);
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("txnOffsetCommitVersions")
    void txnOffsetCommitAndItsErrorsWriteAtEveryVersion(short version) {
        TxnOffsetCommitRequestData request = TransactionalOffsetsTest.txnCommit("", -1, 5);
        done(coordinator.txnOffsetCommit(ctx(version), request), version);
        done(
                coordinator.txnOffsetCommit(
                        ctx(version),
                        request.duplicate()
                                .setGroupId("ghost")
                                .setGenerationId(3)
                                .setMemberId("m")),
                version);
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("offsetFetchVersions")
    void offsetFetchInBothFormsWritesAtEveryVersion(short version) {
        done(
                coordinator.commitOffsets(
                        ctx(9),
                        new OffsetCommitRequestData()
                                .setGroupId("simple")
                                .setGenerationIdOrMemberEpoch(-1)
                                .setTopics(List.of(new OffsetCommitRequestTopic()
                                        .setName("t")
                                        .setPartitions(List.of(new OffsetCommitRequestPartition()
                                                .setPartitionIndex(0)
                                                .setCommittedOffset(5)))))),
                9);
        OffsetFetchRequestData request;
        if (version >= 8) {
            request = new OffsetFetchRequestData()
                    .setGroups(List.of(
                            new OffsetFetchRequestGroup()
                                    .setGroupId("simple")
                                    .setTopics(List.of(new OffsetFetchRequestTopics()
                                            .setName("t")
                                            .setPartitionIndexes(List.of(0, 1)))),
                            new OffsetFetchRequestGroup().setGroupId("").setTopics(null)));
        } else {
            request = new OffsetFetchRequestData()
                    .setGroupId("simple")
                    .setTopics(
                            List.of(new OffsetFetchRequestTopic().setName("t").setPartitionIndexes(List.of(0, 1))));
        }
        done(coordinator.fetchOffsets(ctx(version), request), version);
        if (version < 8) {
            done(
                    coordinator.fetchOffsets(
                            ctx(version),
                            new OffsetFetchRequestData()
                                    .setGroupId("")
                                    .setTopics(List.of(new OffsetFetchRequestTopic()
                                            .setName("t")
                                            .setPartitionIndexes(List.of(0))))),
                    version);
        }
        if (version >= 2) {
            done(
                    coordinator.fetchOffsets(
                            ctx(version),
                            version >= 8
                                    ? new OffsetFetchRequestData()
                                            .setGroups(List.of(new OffsetFetchRequestGroup()
                                                    .setGroupId("simple")
                                                    .setTopics(null)))
                                    : new OffsetFetchRequestData()
                                            .setGroupId("simple")
                                            .setTopics(null)),
                    version);
        }
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("describeVersions")
    void describeWritesAtEveryVersion(short version) {
        stable((short) 9);
        done(
                coordinator.describeGroups(
                        ctx(version),
                        new DescribeGroupsRequestData()
                                .setGroups(List.of("g", "unknown", ""))
                                .setIncludeAuthorizedOperations(version >= 3)),
                version);
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("listVersions")
    void listWritesAtEveryVersion(short version) {
        stable((short) 9);
        ListGroupsRequestData request = new ListGroupsRequestData();
        if (version >= 4) {
            request.setStatesFilter(List.of("Stable"));
        }
        if (version >= 5) {
            request.setTypesFilter(List.of("classic"));
        }
        assertThat(done(coordinator.listGroups(ctx(version), request), version).groups())
                .hasSize(1);
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("deleteVersions")
    void deleteWritesAtEveryVersion(short version) {
        stable((short) 9);
        done(
                coordinator.deleteGroups(
                        ctx(version), new DeleteGroupsRequestData().setGroupsNames(List.of("g", "unknown", ""))),
                version);
    }
}
