package io.tributary.group.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;

/**
 * ConsumerGroupDescribe and the consumer groups' part of ListGroups: read-only views taken under
 * each group's monitor. A group id that is no consumer group is {@code GROUP_ID_NOT_FOUND}, from
 * which the AdminClient falls back to DescribeGroups for classic groups, as against Kafka. A group
 * another coordinator instance serves is {@code NOT_COORDINATOR} and left out of listings.
 * Thread-safe.
 */
public final class ConsumerGroupQueries {

    /** The protocol type and group type of KIP-848 groups in ListGroups. */
    public static final String CONSUMER_TYPE = "consumer";

    /** {@code MemberType} of ConsumerGroupDescribe v1: a member speaking the consumer protocol. */
    private static final byte CONSUMER_MEMBER = 1;

    private final ConsumerGroups groups;
    private final TopicsImageSource topics;
    private final Predicate<String> serves;

    /** @param serves whether this instance serves a group now; the others are NOT_COORDINATOR, unlisted */
    public ConsumerGroupQueries(ConsumerGroups groups, TopicsImageSource topics, Predicate<String> serves) {
        this.groups = groups;
        this.topics = topics;
        this.serves = serves;
    }

    /** @param authorizedOperations what every group allows (there are no ACLs), if asked for */
    public ConsumerGroupDescribeResponseData describe(
            ConsumerGroupDescribeRequestData request, int authorizedOperations) {
        ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
        TopicsImage image = topics.current();
        for (String groupId : request.groupIds()) {
            if (!serves.test(groupId)) {
                response.groups()
                        .add(new DescribedGroup()
                                .setGroupId(groupId)
                                .setErrorCode(Errors.NOT_COORDINATOR.code())
                                .setErrorMessage("This coordinator does not serve group " + groupId + "."));
                continue;
            }
            ConsumerGroup group = groups.get(groupId);
            DescribedGroup described = group == null ? null : describe(group, image);
            if (described == null) {
                described = new DescribedGroup()
                        .setGroupId(groupId)
                        .setGroupState(ConsumerGroup.State.DEAD.wireName())
                        .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                        .setErrorMessage("Group " + groupId + " not found.");
            } else if (request.includeAuthorizedOperations()) {
                described.setAuthorizedOperations(authorizedOperations);
            }
            response.groups().add(described);
        }
        return response;
    }

    private static DescribedGroup describe(ConsumerGroup group, TopicsImage image) {
        synchronized (group) {
            if (group.isDead()) {
                return null;
            }
            DescribedGroup described = new DescribedGroup()
                    .setGroupId(group.groupId())
                    .setGroupState(group.state().wireName())
                    .setGroupEpoch(group.groupEpoch())
                    .setAssignmentEpoch(group.targetEpoch())
                    .setAssignorName(group.assignorName());
            for (ConsumerGroupMember member : group.members()) {
                described
                        .members()
                        .add(new ConsumerGroupDescribeResponseData.Member()
                                .setMemberId(member.memberId())
                                .setInstanceId(member.instanceId())
                                .setRackId(member.rackId())
                                .setMemberEpoch(member.memberEpoch())
                                .setClientId(member.clientId())
                                .setClientHost(member.clientHost())
                                .setSubscribedTopicNames(new ArrayList<>(member.subscribedTopicNames()))
                                .setSubscribedTopicRegex(member.subscribedTopicRegex())
                                .setAssignment(Assignments.toDescribed(member.assigned(), image))
                                .setTargetAssignment(Assignments.toDescribed(group.targetOf(member.memberId()), image))
                                .setMemberType(CONSUMER_MEMBER));
            }
            return described;
        }
    }

    /**
     * The consumer groups for ListGroups, filtered by state and type (lower-case names; empty
     * filters let everything through); the group state is set whatever the version, for the caller
     * to clear below v4.
     */
    public List<ListedGroup> list(Set<String> states, Set<String> types) {
        List<ListedGroup> listed = new ArrayList<>();
        if (!types.isEmpty() && !types.contains(CONSUMER_TYPE)) {
            return listed;
        }
        for (ConsumerGroup group : groups.all()) {
            if (!serves.test(group.groupId())) {
                continue;
            }
            String state;
            synchronized (group) {
                if (group.isDead()) {
                    continue;
                }
                state = group.state().wireName();
            }
            if (states.isEmpty() || states.contains(state.toLowerCase(Locale.ROOT))) {
                listed.add(new ListedGroup()
                        .setGroupId(group.groupId())
                        .setProtocolType(CONSUMER_TYPE)
                        .setGroupState(state)
                        .setGroupType(CONSUMER_TYPE));
            }
        }
        return listed;
    }
}
