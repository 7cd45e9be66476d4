package io.tributary.group.consumer.assignor;

import io.tributary.group.consumer.assignor.AssignmentSpec.MemberSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/** Small builders for assignor tests. */
final class AssignorFixtures {

    static final Uuid ORDERS = new Uuid(1, 1);
    static final Uuid PAYMENTS = new Uuid(2, 2);

    private AssignorFixtures() {}

    static Set<IdPartition> partitions(Uuid topic, int... numbers) {
        Set<IdPartition> set = new TreeSet<>();
        Arrays.stream(numbers).forEach(n -> set.add(new IdPartition(topic, n)));
        return set;
    }

    static MemberSpec subscribed(Set<Uuid> topics, Set<IdPartition> current) {
        return new MemberSpec(topics, current);
    }

    static MemberSpec subscribed(Uuid topic) {
        return new MemberSpec(Set.of(topic), Set.of());
    }

    /** Members all subscribed to {@code topic} with the given current assignments (by member id). */
    static AssignmentSpec spec(Uuid topic, int partitionCount, Map<String, Set<IdPartition>> current) {
        Map<String, MemberSpec> members = new HashMap<>();
        current.forEach((id, partitions) -> members.put(id, new MemberSpec(Set.of(topic), partitions)));
        return new AssignmentSpec(members, Map.of(topic, partitionCount));
    }

    /** Every partition given once, and only to subscribers of its topic. */
    static Set<IdPartition> union(Map<String, Set<IdPartition>> assignment) {
        Set<IdPartition> all = new HashSet<>();
        assignment.values().forEach(all::addAll);
        return all;
    }

    static int total(Map<String, Set<IdPartition>> assignment) {
        return assignment.values().stream().mapToInt(Set::size).sum();
    }
}
