package io.tributary.group.consumer.assignor;

import static io.tributary.group.consumer.assignor.AssignorFixtures.ORDERS;
import static io.tributary.group.consumer.assignor.AssignorFixtures.PAYMENTS;
import static io.tributary.group.consumer.assignor.AssignorFixtures.partitions;
import static io.tributary.group.consumer.assignor.AssignorFixtures.spec;
import static io.tributary.group.consumer.assignor.AssignorFixtures.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RangeAssignorTest {

    final RangeAssignor assignor = new RangeAssignor();

    @Test
    void shouldGiveContiguousRangesTheFirstMembersOneMore() {
        Map<String, Set<IdPartition>> assignment =
                assignor.assign(spec(ORDERS, 7, Map.of("a", Set.of(), "b", Set.of(), "c", Set.of())));

        assertThat(assignment)
                .containsEntry("a", partitions(ORDERS, 0, 1, 2))
                .containsEntry("b", partitions(ORDERS, 3, 4))
                .containsEntry("c", partitions(ORDERS, 5, 6));
    }

    @Test
    void shouldCoPartitionTopicsWithTheSamePartitionCount() {
        Set<org.apache.kafka.common.Uuid> both = Set.of(ORDERS, PAYMENTS);
        Map<String, Set<IdPartition>> assignment = assignor.assign(new AssignmentSpec(
                Map.of("a", subscribed(both, Set.of()), "b", subscribed(both, Set.of())),
                Map.of(ORDERS, 4, PAYMENTS, 4)));

        for (Set<IdPartition> partitions : assignment.values()) {
            Set<Integer> orders = numbers(partitions, ORDERS);
            assertThat(orders).hasSize(2).isEqualTo(numbers(partitions, PAYMENTS));
        }
    }

    @Test
    void shouldGiveATopicOnlyToItsSubscribers() {
        Map<String, Set<IdPartition>> assignment = assignor.assign(new AssignmentSpec(
                Map.of("a", subscribed(ORDERS), "b", subscribed(PAYMENTS)), Map.of(ORDERS, 3, PAYMENTS, 2)));

        assertThat(assignment)
                .containsEntry("a", partitions(ORDERS, 0, 1, 2))
                .containsEntry("b", partitions(PAYMENTS, 0, 1));
    }

    @Test
    void shouldLeaveMembersOfAMissingTopicEmpty() {
        Map<String, Set<IdPartition>> assignment =
                assignor.assign(new AssignmentSpec(Map.of("a", subscribed(ORDERS)), Map.of()));

        assertThat(assignment).containsEntry("a", Set.of());
    }

    private static Set<Integer> numbers(Set<IdPartition> partitions, org.apache.kafka.common.Uuid topic) {
        return partitions.stream()
                .filter(p -> p.topicId().equals(topic))
                .map(IdPartition::partition)
                .collect(java.util.stream.Collectors.toSet());
    }
}
