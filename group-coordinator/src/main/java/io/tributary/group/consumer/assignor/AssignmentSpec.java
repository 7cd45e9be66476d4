package io.tributary.group.consumer.assignor;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * What a server-side assignor sees: the members with what they subscribe to and what they were
 * last given (for stickiness), and the partition count of every topic any of them subscribes to.
 * Immutable.
 *
 * @param members     member id to its subscription and current target assignment
 * @param partitions  topic id to its partition count; a subscribed topic missing here does not exist
 */
public record AssignmentSpec(Map<String, MemberSpec> members, Map<Uuid, Integer> partitions) {

    public AssignmentSpec {
        members = Map.copyOf(members);
        partitions = Map.copyOf(partitions);
    }

    /**
     * One member as an assignor sees it.
     *
     * @param subscribedTopicIds the topics it subscribes to (names and regex already resolved)
     * @param current            the partitions its previous target assignment gave it
     */
    public record MemberSpec(Set<Uuid> subscribedTopicIds, Set<IdPartition> current) {

        public MemberSpec {
            subscribedTopicIds = Set.copyOf(subscribedTopicIds);
            current = Set.copyOf(current);
        }
    }
}
