package io.tributary.group.coordinator;

import static io.tributary.group.testing.CoordinatorHarness.ctx;
import static io.tributary.group.testing.CoordinatorHarness.done;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.group.config.ConsumerGroupProperties;
import io.tributary.group.consumer.ConsumerGroupCoordinator;
import io.tributary.group.consumer.ConsumerGroups;
import io.tributary.group.consumer.TopicsImage;
import io.tributary.group.consumer.TopicsImage.Topic;
import io.tributary.group.consumer.assignor.RangeAssignor;
import io.tributary.group.consumer.assignor.UniformAssignor;
import io.tributary.group.testing.CoordinatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The KIP-848 protocol through the {@link GroupCoordinator} facade, with manual time: members
 * driven as a consumer drives them (join, then heartbeats listing what they own, taking each
 * assignment the coordinator sends as soon as it arrives).
 */
class ConsumerGroupProtocolTest {

    static final Uuid ORDERS = new Uuid(11, 11);
    static final String GROUP = "g";

    final CoordinatorHarness h = new CoordinatorHarness();
    /** What each simulated consumer owns and its epoch. */
    final Map<String, Set<Integer>> owned = new HashMap<>();

    final Map<String, Integer> epochs = new HashMap<>();

    @BeforeEach
    void topics() {
        h.topics = TopicsImage.of(new Topic("orders", ORDERS, 6));
    }

    @Test
    void threeMembersEndWithDisjointAssignmentsCoveringEveryPartition() {
        join("a");
        join("b");
        join("c");
        settle("a", "b", "c");

        assertThat(owned.values()).extracting(Set::size).containsOnly(2);
        assertThat(union()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        DescribedGroup group = describe();
        assertThat(group.groupState()).isEqualTo("Stable");
        assertThat(group.assignorName()).isEqualTo("uniform");
        assertThat(group.members()).allSatisfy(m -> assertThat(m.memberEpoch()).isEqualTo(group.assignmentEpoch()));
    }

    @Test
    void aPartitionMovesToANewOwnerOnlyAfterThePreviousOwnerRevokedIt() {
        join("a");
        settle("a");
        assertThat(owned.get("a")).hasSize(6);

        ConsumerGroupHeartbeatResponseData b = join("b");
        assertThat(b.assignment().topicPartitions()).as("all still owned by a").isEmpty();

        ConsumerGroupHeartbeatResponseData a = heartbeat("a");
        assertThat(a.memberEpoch()).as("a keeps its epoch while revoking").isEqualTo(epochs.get("a"));
        assertThat(partitionsOf(a)).hasSize(3);
        assertThat(partitionsOf(heartbeat("b")))
                .as("a has not acknowledged yet")
                .isEmpty();

        owned.put("a", partitionsOf(a)); // a revokes, then says so
        assertThat(heartbeat("a").memberEpoch()).isGreaterThan(epochs.get("a"));
        ConsumerGroupHeartbeatResponseData released = heartbeat("b");

        assertThat(partitionsOf(released)).hasSize(3).doesNotContainAnyElementsOf(owned.get("a"));
    }

    @Test
    void aLeavingMembersPartitionsGoToTheOthers() {
        join("a");
        join("b");
        settle("a", "b");

        ConsumerGroupHeartbeatResponseData left = send(request("a", -1));
        owned.remove("a");
        settle("b");

        assertThat(left.errorCode()).isZero();
        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(owned.get("b")).hasSize(6);
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAfterTheSessionTimeout() {
        join("a");
        join("b");
        settle("a", "b");

        for (int i = 0; i < 4; i++) {
            h.timer.advance(Duration.ofSeconds(15).toMillis());
            take("b", heartbeat("b"));
        }
        settle("b");

        assertThat(owned.get("b")).hasSize(6);
        assertThat(describe().members())
                .singleElement()
                .satisfies(m -> assertThat(m.memberId()).isEqualTo("b"));
    }

    @Test
    void wrongEpochsAndUnknownMembersAreFenced() {
        join("a");
        join("b");
        settle("a", "b");
        int epoch = epochs.get("a");
        assertThat(epoch - 1).as("an older epoch that is not a join").isPositive();

        assertThat(send(request("a", epoch + 1).setTopicPartitions(List.of())).errorCode())
                .isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
        assertThat(send(request("a", epoch - 1)).errorCode()).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
        assertThat(send(request("nobody", epoch)).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(send(request("a", 1).setGroupId("elsewhere")).errorCode())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void badRequestsGetKafkasErrors() {
        assertThat(send(joinRequest("a").setSubscribedTopicNames(null)).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(send(joinRequest("a").setTopicPartitions(null)).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(send(joinRequest("").setGroupId(GROUP)).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(send(request("a", -3)).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(send(joinRequest("a").setServerAssignor("sticky")).errorCode())
                .isEqualTo(Errors.UNSUPPORTED_ASSIGNOR.code());
        assertThat(send(joinRequest("a").setSubscribedTopicNames(List.of()).setSubscribedTopicRegex("(orders"))
                        .errorCode())
                .isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());
    }

    @Test
    void aStaticMemberKeepsItsPartitionsAcrossALeaveAndReturn() {
        take("s1", send(joinRequest("s1").setInstanceId("instance-1")));
        join("b");
        settle("s1", "b");
        Set<Integer> before = owned.get("s1");
        int groupEpoch = describe().groupEpoch();

        assertThat(send(request("s1", -2).setInstanceId("instance-1")).memberEpoch())
                .isEqualTo(-2);
        ConsumerGroupHeartbeatResponseData returned = send(joinRequest("s2").setInstanceId("instance-1"));

        assertThat(returned.errorCode()).isZero();
        assertThat(partitionsOf(returned)).isEqualTo(before);
        assertThat(describe().groupEpoch())
                .as("no rebalance for a static member's return")
                .isEqualTo(groupEpoch);
        assertThat(describe().members()).extracting(m -> m.memberId()).containsExactlyInAnyOrder("s2", "b");
        assertThat(send(joinRequest("s3").setInstanceId("instance-1")).errorCode())
                .isEqualTo(Errors.UNRELEASED_INSTANCE_ID.code());
    }

    @Test
    void aGroupAtItsMaximumSizeRefusesAnotherMember() {
        ConsumerGroupCoordinator small = new ConsumerGroupCoordinator(
                new ConsumerGroupProperties(Duration.ofSeconds(45), Duration.ofSeconds(5), 1, List.of("uniform")),
                new ConsumerGroups(),
                () -> h.topics,
                h.timer,
                List.of(new UniformAssignor()));

        assertThat(small.heartbeat(joinRequest("a"), (short) 1, "c", "/h").errorCode())
                .isZero();
        assertThat(small.heartbeat(joinRequest("b"), (short) 1, "c", "/h").errorCode())
                .isEqualTo(Errors.GROUP_MAX_SIZE_REACHED.code());
    }

    @Test
    void moreSubscribedPartitionsOrAMatchingNewTopicMakeANewAssignment() {
        take("a", send(joinRequest("a").setSubscribedTopicNames(List.of()).setSubscribedTopicRegex("ord.*")));
        settle("a");
        int epoch = epochs.get("a");
        Uuid ordering = new Uuid(12, 12);

        h.topics = TopicsImage.of(
                new Topic("orders", ORDERS, 8),
                new Topic("ordering", ordering, 2),
                new Topic("other", new Uuid(3, 3), 4));
        ConsumerGroupHeartbeatResponseData grown = heartbeat("a");

        assertThat(grown.memberEpoch()).isGreaterThan(epoch);
        assertThat(grown.assignment().topicPartitions())
                .extracting(tp -> tp.topicId(), tp -> tp.partitions().size())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ORDERS, 8),
                        org.assertj.core.groups.Tuple.tuple(ordering, 2));
    }

    @Test
    void aDeletedTopicsPartitionsLeaveTheAssignment() {
        join("a");
        settle("a");

        h.topics = TopicsImage.EMPTY;
        owned.put("a", Set.of()); // the consumer drops what it was told to revoke

        ConsumerGroupHeartbeatResponseData emptied = heartbeat("a");
        assertThat(partitionsOf(emptied)).isEmpty();
        settle("a");
        assertThat(describe().groupState()).isEqualTo("Stable");
    }

    @Test
    void aMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsRemoved() {
        join("a");
        settle("a");
        join("b");
        heartbeat("a"); // told to revoke three partitions; it never acknowledges

        for (int i = 0; i < 7; i++) {
            h.timer.advance(5_000);
            send(request("a", epochs.get("a"))); // heartbeats without owned partitions: still alive
            take("b", heartbeat("b"));
        }

        assertThat(describe().members()).extracting(m -> m.memberId()).containsExactly("b");
        assertThat(owned.get("b")).hasSize(6);
    }

    @Test
    void theRangeAssignorIsUsedWhenMembersAskForIt() {
        take("a", send(joinRequest("a").setServerAssignor(RangeAssignor.NAME)));
        take("b", send(joinRequest("b").setServerAssignor(RangeAssignor.NAME)));
        settle("a", "b");

        assertThat(describe().assignorName()).isEqualTo("range");
        assertThat(owned).containsEntry("a", Set.of(0, 1, 2)).containsEntry("b", Set.of(3, 4, 5));
    }

    @Test
    void offsetCommitsAndFetchesAreCheckedAgainstTheMemberEpoch() {
        join("a");
        settle("a");
        int epoch = epochs.get("a");

        assertThat(commitError("a", epoch)).isEqualTo(Errors.NONE);
        assertThat(commitError("a", epoch - 1)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(commitError("a", epoch + 1)).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(commitError("nobody", epoch)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commitError("", -1))
                .as("admin commit into a group with members")
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(fetchError("a", epoch - 1)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(fetchError("nobody", epoch)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(fetchError(null, -1)).isEqualTo(Errors.NONE);

        send(request("a", -1));
        assertThat(commitError("", -1)).as("admin commit into the empty group").isEqualTo(Errors.NONE);
    }

    @Test
    void aConsumerGroupTakesOverAnEmptyClassicGroupWithItsOffsets() {
        assertThat(commitError("", -1)).isEqualTo(Errors.NONE); // a simple classic group
        join("a");

        assertThat(epochs.get("a")).isPositive();
        assertThat(listed()).extracting(ListedGroup::groupType).containsExactly("consumer");
        assertThat(done(h.coordinator.fetchOffsets(ctx(9), fetch(null, -1)), 9)
                        .groups()
                        .get(0)
                        .topics())
                .isNotEmpty();
    }

    @Test
    void aGroupIdIsEitherClassicOrConsumerWhileItHasMembers() {
        var classicJoin = h.coordinator.joinGroup(
                ctx(3),
                CoordinatorHarness.joinRequest(
                        "classic", "", null, CoordinatorHarness.protocols("range", new byte[0])));
        h.timer.advance(3_000);
        assertThat(done(classicJoin, 3).errorCode()).isZero();
        assertThat(send(joinRequest("a").setGroupId("classic")).errorCode())
                .isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());

        join("a");
        JoinGroupResponseData refused = done(
                h.coordinator.joinGroup(
                        ctx(3),
                        CoordinatorHarness.joinRequest(
                                GROUP, "", null, CoordinatorHarness.protocols("range", new byte[0]))),
                3);
        assertThat(refused.errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
    }

    @Test
    void listAndDeleteSeeConsumerGroups() {
        join("a");

        assertThat(listed()).singleElement().satisfies(g -> {
            assertThat(g.groupType()).isEqualTo("consumer");
            assertThat(g.protocolType()).isEqualTo("consumer");
        });
        assertThat(done(
                                h.coordinator.listGroups(
                                        ctx(5), new ListGroupsRequestData().setTypesFilter(List.of("classic"))),
                                5)
                        .groups())
                .isEmpty();
        assertThat(listed(new ListGroupsRequestData().setStatesFilter(List.of("Stable"))))
                .extracting(ListedGroup::groupId)
                .containsExactly(GROUP);
        assertThat(listed(new ListGroupsRequestData().setStatesFilter(List.of("Empty"))))
                .isEmpty();
        assertThat(deleteError()).isEqualTo(Errors.NON_EMPTY_GROUP);

        send(request("a", -1));

        assertThat(listed(new ListGroupsRequestData().setStatesFilter(List.of("Empty"))))
                .extracting(ListedGroup::groupState)
                .containsExactly("Empty");
        assertThat(deleteError()).isEqualTo(Errors.NONE);
        assertThat(describe().errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(listed()).isEmpty();
    }

    @Test
    void offsetsOfSubscribedTopicsCannotBeDeletedWhileTheGroupHasMembers() {
        join("a");

        assertThat(offsetDeleteError("orders")).isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC);
        assertThat(offsetDeleteError("payments")).isEqualTo(Errors.NONE);

        send(request("a", -1));

        assertThat(offsetDeleteError("orders")).isEqualTo(Errors.NONE);
    }

    @Test
    void aGroupServedByAnotherCoordinatorIsNotCoordinatorForEveryConsumerGroupApi() {
        join("a");
        settle("a");
        h.serves = groupId -> false;

        assertThat(send(request("a", epochs.get("a"))).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        assertThat(send(joinRequest("b")).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        assertThat(describe().errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        assertThat(commitError("a", epochs.get("a"))).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(fetchError("a", epochs.get("a"))).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(deleteError()).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(listed()).isEmpty();
    }

    @Test
    void membersOfAnUnloadedGroupRejoinWithEpochZeroAndKeepTheCommittedOffsets() {
        join("a");
        settle("a");
        assertThat(commitError("a", epochs.get("a"))).isEqualTo(Errors.NONE);

        // the group's partition moved away and back: this coordinator no longer knows the members
        assertThat(h.consumerGroups.unload(GROUP::equals)).isEqualTo(1);

        ConsumerGroupHeartbeatResponseData stale = send(request("a", epochs.get("a")));
        assertThat(stale.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(describe().errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        owned.clear();
        join("a");
        settle("a");
        assertThat(owned.get("a")).hasSize(6);
        assertThat(describe().groupState()).isEqualTo("Stable");
        assertThat(done(h.coordinator.fetchOffsets(ctx(9), fetch("a", epochs.get("a"))), 9)
                        .groups()
                        .get(0)
                        .topics()
                        .get(0)
                        .partitions()
                        .get(0)
                        .committedOffset())
                .isEqualTo(5);
    }

    // --- a simulated consumer ---

    ConsumerGroupHeartbeatResponseData join(String member) {
        ConsumerGroupHeartbeatResponseData response = send(joinRequest(member));
        assertThat(response.errorCode()).as(response.errorMessage()).isZero();
        take(member, response);
        return response;
    }

    /** A heartbeat listing what the member owns; an assignment in the answer is taken at once. */
    ConsumerGroupHeartbeatResponseData heartbeat(String member) {
        ConsumerGroupHeartbeatRequestData request = request(member, epochs.get(member))
                .setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                        .setTopicId(ORDERS)
                        .setPartitions(new ArrayList<>(owned.getOrDefault(member, Set.of())))));
        ConsumerGroupHeartbeatResponseData response = send(request);
        assertThat(response.errorCode()).as(response.errorMessage()).isZero();
        return response;
    }

    /** Heartbeats until no member's epoch or assignment moves any more. */
    void settle(String... members) {
        for (int round = 0; round < 10; round++) {
            boolean changed = false;
            for (String member : members) {
                ConsumerGroupHeartbeatResponseData response = heartbeat(member);
                changed |= take(member, response);
            }
            if (!changed) {
                return;
            }
        }
        throw new AssertionError("the group did not settle: " + describe());
    }

    boolean take(String member, ConsumerGroupHeartbeatResponseData response) {
        boolean changed = !Integer.valueOf(response.memberEpoch()).equals(epochs.put(member, response.memberEpoch()));
        if (response.assignment() != null) {
            changed |= !partitionsOf(response).equals(owned.put(member, partitionsOf(response)));
        }
        return changed;
    }

    /** The partitions of the answer's assignment; none if it carried none. */
    Set<Integer> partitionsOf(ConsumerGroupHeartbeatResponseData response) {
        Set<Integer> partitions = new HashSet<>();
        if (response.assignment() == null) {
            return partitions;
        }
        response.assignment().topicPartitions().forEach(tp -> partitions.addAll(tp.partitions()));
        return partitions;
    }

    List<Integer> union() {
        return owned.values().stream().flatMap(Set::stream).toList();
    }

    ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request) {
        return done(h.coordinator.consumerGroupHeartbeat(ctx(1), request), 1);
    }

    static ConsumerGroupHeartbeatRequestData joinRequest(String member) {
        return new ConsumerGroupHeartbeatRequestData()
                .setGroupId(GROUP)
                .setMemberId(member)
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicNames(List.of("orders"))
                .setTopicPartitions(List.of());
    }

    static ConsumerGroupHeartbeatRequestData request(String member, int epoch) {
        return new ConsumerGroupHeartbeatRequestData()
                .setGroupId(GROUP)
                .setMemberId(member)
                .setMemberEpoch(epoch);
    }

    DescribedGroup describe() {
        return done(
                        h.coordinator.consumerGroupDescribe(
                                ctx(1), new ConsumerGroupDescribeRequestData().setGroupIds(List.of(GROUP))),
                        1)
                .groups()
                .get(0);
    }

    List<ListedGroup> listed() {
        return listed(new ListGroupsRequestData());
    }

    List<ListedGroup> listed(ListGroupsRequestData request) {
        return done(h.coordinator.listGroups(ctx(5), request), 5).groups();
    }

    Errors deleteError() {
        return Errors.forCode(done(
                        h.coordinator.deleteGroups(
                                ctx(2), new DeleteGroupsRequestData().setGroupsNames(List.of(GROUP))),
                        2)
                .results()
                .find(GROUP)
                .errorCode());
    }

    Errors offsetDeleteError(String topic) {
        OffsetDeleteRequestData request = new OffsetDeleteRequestData().setGroupId(GROUP);
        request.topics()
                .add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic()
                        .setName(topic)
                        .setPartitions(List.of(
                                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
        var response = done(h.coordinator.deleteOffsets(ctx(0), request), 0);
        assertThat(response.errorCode()).isZero();
        return Errors.forCode(response.topics().find(topic).partitions().find(0).errorCode());
    }

    Errors commitError(String member, int epoch) {
        OffsetCommitRequestData request = new OffsetCommitRequestData()
                .setGroupId(GROUP)
                .setMemberId(member)
                .setGenerationIdOrMemberEpoch(epoch)
                .setTopics(List.of(new OffsetCommitRequestTopic()
                        .setName("orders")
                        .setPartitions(List.of(new OffsetCommitRequestPartition()
                                .setPartitionIndex(0)
                                .setCommittedOffset(5)))));
        return Errors.forCode(done(h.coordinator.commitOffsets(ctx(9), request), 9)
                .topics()
                .get(0)
                .partitions()
                .get(0)
                .errorCode());
    }

    Errors fetchError(String member, int epoch) {
        return Errors.forCode(done(h.coordinator.fetchOffsets(ctx(9), fetch(member, epoch)), 9)
                .groups()
                .get(0)
                .errorCode());
    }

    static OffsetFetchRequestData fetch(String member, int epoch) {
        return new OffsetFetchRequestData()
                .setGroups(List.of(new OffsetFetchRequestGroup()
                        .setGroupId(GROUP)
                        .setMemberId(member)
                        .setMemberEpoch(epoch)
                        .setTopics(null)));
    }
}
