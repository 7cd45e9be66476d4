package io.tributary.group.consumer.assignor;

import io.tributary.group.consumer.assignor.AssignmentSpec.MemberSpec;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kafka's default server-side assignor ({@code uniform}): as balanced as the subscriptions allow
 * and sticky. Each member first keeps the partitions it had that are still valid; partitions nobody
 * holds go to the subscribed member with the fewest; then partitions move, one at a time, from a
 * member to a subscribed member holding at least two fewer, until no such move exists. With equal
 * subscriptions the counts end within one of each other, and a partition moves only when balance
 * needs it (a member joining takes partitions from the fullest members, a leaving member's
 * partitions are spread over the rest, nothing else moves).
 */
public final class UniformAssignor implements PartitionAssignor {

    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Set<IdPartition>> assign(AssignmentSpec spec) {
        Map<String, TreeSet<IdPartition>> result = new TreeMap<>();
        spec.members().keySet().forEach(id -> result.put(id, new TreeSet<>()));
        Set<IdPartition> taken = new TreeSet<>();
        // stickiness: keep what is still valid, in member id order so that a conflict resolves the same way each time
        result.forEach((memberId, assigned) -> {
            MemberSpec member = spec.members().get(memberId);
            for (IdPartition partition : new TreeSet<>(member.current())) {
                if (isValid(spec, member, partition) && taken.add(partition)) {
                    assigned.add(partition);
                }
            }
        });
        for (IdPartition partition : subscribedPartitions(spec)) {
            if (!taken.contains(partition)) {
                leastLoaded(spec, result, partition, Integer.MAX_VALUE)
                        .ifPresent(m -> result.get(m).add(partition));
            }
        }
        balance(spec, result);
        Map<String, Set<IdPartition>> answer = new TreeMap<>();
        result.forEach((id, partitions) -> answer.put(id, Set.copyOf(partitions)));
        return answer;
    }

    /** Moves partitions from fuller to emptier members until no move narrows the gap. */
    private static void balance(AssignmentSpec spec, Map<String, TreeSet<IdPartition>> result) {
        boolean moved = true;
        while (moved) {
            moved = false;
            Iterable<String> fullestFirst = result.keySet().stream()
                    .sorted(Comparator.comparingInt(
                                    (String id) -> -result.get(id).size())
                            .thenComparing(Comparator.naturalOrder()))
                    .toList();
            for (String from : fullestFirst) {
                int limit = result.get(from).size() - 1;
                // the highest partitions move first, so the lowest stay where they were
                for (IdPartition partition : result.get(from).descendingSet()) {
                    Optional<String> to = leastLoaded(spec, result, partition, limit);
                    if (to.isPresent()) {
                        result.get(from).remove(partition);
                        result.get(to.get()).add(partition);
                        moved = true;
                        break;
                    }
                }
                if (moved) {
                    break;
                }
            }
        }
    }

    /** The subscribed member with the fewest partitions, fewer than {@code below}; ties by member id. */
    private static Optional<String> leastLoaded(
            AssignmentSpec spec, Map<String, TreeSet<IdPartition>> result, IdPartition partition, int below) {
        String best = null;
        for (Map.Entry<String, TreeSet<IdPartition>> entry : result.entrySet()) {
            int size = entry.getValue().size();
            if (size < below
                    && spec.members().get(entry.getKey()).subscribedTopicIds().contains(partition.topicId())
                    && (best == null || size < result.get(best).size())) {
                best = entry.getKey();
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean isValid(AssignmentSpec spec, MemberSpec member, IdPartition partition) {
        Integer count = spec.partitions().get(partition.topicId());
        return count != null
                && partition.partition() < count
                && member.subscribedTopicIds().contains(partition.topicId());
    }

    /** Every partition of every existing topic someone subscribes to, in order. */
    static Set<IdPartition> subscribedPartitions(AssignmentSpec spec) {
        Set<IdPartition> all = new TreeSet<>();
        spec.members()
                .values()
                .forEach(member -> member.subscribedTopicIds().forEach(topic -> {
                    Integer count = spec.partitions().get(topic);
                    for (int p = 0; count != null && p < count; p++) {
                        all.add(new IdPartition(topic, p));
                    }
                }));
        return all;
    }
}
