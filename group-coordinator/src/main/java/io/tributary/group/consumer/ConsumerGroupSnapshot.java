package io.tributary.group.consumer;

import io.tributary.group.consumer.assignor.IdPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the shared store keeps of a KIP-848 group, so that the coordinator that takes the group
 * over continues it instead of making every member rejoin: the epochs, the members (each with its
 * member epoch, subscription and owned partitions), the target assignment and the subscribed
 * topics the target was computed from. Session deadlines are not kept: they start again at the
 * new owner. Immutable.
 *
 * @param groupId          the group id
 * @param groupEpoch       the group epoch
 * @param targetEpoch      the target assignment epoch
 * @param assignorName     the assignor that computed the target
 * @param members          the members, in join order
 * @param target           each member's target partitions
 * @param subscribedTopics the subscribed topics as they were when the group epoch last moved
 */
public record ConsumerGroupSnapshot(
        String groupId,
        int groupEpoch,
        int targetEpoch,
        String assignorName,
        List<ConsumerGroupMember> members,
        Map<String, Set<IdPartition>> target,
        List<TopicsImage.Topic> subscribedTopics) {

    public ConsumerGroupSnapshot {
        members = List.copyOf(members);
        target = Map.copyOf(target);
        subscribedTopics = List.copyOf(subscribedTopics);
    }
}
