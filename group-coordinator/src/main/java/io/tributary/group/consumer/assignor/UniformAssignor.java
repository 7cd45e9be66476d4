package io.tributary.group.consumer.assignor;

import io.tributary.group.consumer.assignor.AssignmentSpec.MemberSpec;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * Kafka's default server-side assignor ({@code uniform}): as balanced as the subscriptions allow
 * and sticky. Each member first keeps the partitions it had that are still valid; partitions nobody
 * holds go to the subscribed member with the fewest; then partitions move, one at a time, from the
 * fullest member to a subscribed member holding at least two fewer, until no such move exists.
 * With equal subscriptions the counts end within one of each other, and a partition moves only
 * when balance needs it (a member joining takes partitions from the fullest members, a leaving
 * member's partitions are spread over the rest, nothing else moves). Members are kept ordered by
 * load, so with equal subscriptions each step is logarithmic in the group size.
 */
public final class UniformAssignor implements PartitionAssignor {

    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Set<IdPartition>> assign(AssignmentSpec spec) {
        Loads loads = new Loads(spec);
        Set<IdPartition> taken = new TreeSet<>();
        // stickiness: keep what is still valid, in member id order so that a conflict resolves the same way each time
        for (String memberId : new TreeSet<>(spec.members().keySet())) {
            MemberSpec member = spec.members().get(memberId);
            for (IdPartition partition : new TreeSet<>(member.current())) {
                if (isValid(spec, member, partition) && taken.add(partition)) {
                    loads.add(memberId, partition);
                }
            }
        }
        for (IdPartition partition : subscribedPartitions(spec)) {
            if (!taken.contains(partition)) {
                loads.leastLoaded(partition, Integer.MAX_VALUE).ifPresent(m -> loads.add(m, partition));
            }
        }
        balance(loads);
        Map<String, Set<IdPartition>> answer = new TreeMap<>();
        loads.assigned.forEach((id, partitions) -> answer.put(id, Set.copyOf(partitions)));
        return answer;
    }

    /** Moves partitions from fuller to emptier members until no move narrows a gap of two or more. */
    private static void balance(Loads loads) {
        while (!loads.withinOne()) {
            String from = null;
            IdPartition moving = null;
            String to = null;
            search:
            for (String candidate : loads.byLoad.descendingSet()) {
                int limit = loads.size(candidate) - 1;
                // the highest partitions move first, so the lowest stay where they were
                for (IdPartition partition : loads.assigned.get(candidate).descendingSet()) {
                    Optional<String> target = loads.leastLoaded(partition, limit);
                    if (target.isPresent()) {
                        from = candidate;
                        moving = partition;
                        to = target.get();
                        break search;
                    }
                }
            }
            if (moving == null) {
                return; // unequal subscriptions leave no move that narrows a gap
            }
            loads.remove(from, moving);
            loads.add(to, moving);
        }
    }

    /** The members' partitions, and the members ordered by how many they hold, then by id. */
    private static final class Loads {
        final AssignmentSpec spec;
        final Map<String, TreeSet<IdPartition>> assigned = new TreeMap<>();
        final TreeSet<String> byLoad;

        Loads(AssignmentSpec spec) {
            this.spec = spec;
            spec.members().keySet().forEach(id -> assigned.put(id, new TreeSet<>()));
            byLoad = new TreeSet<>(Comparator.comparingInt(this::size).thenComparing(Comparator.naturalOrder()));
            byLoad.addAll(assigned.keySet());
        }

        int size(String memberId) {
            return assigned.get(memberId).size();
        }

        // the order depends on the size: out of the set while it changes
        void add(String memberId, IdPartition partition) {
            byLoad.remove(memberId);
            assigned.get(memberId).add(partition);
            byLoad.add(memberId);
        }

        void remove(String memberId, IdPartition partition) {
            byLoad.remove(memberId);
            assigned.get(memberId).remove(partition);
            byLoad.add(memberId);
        }

        boolean withinOne() {
            return size(byLoad.last()) - size(byLoad.first()) <= 1;
        }

        /** The member subscribed to the partition's topic with the fewest partitions, fewer than {@code below}. */
        Optional<String> leastLoaded(IdPartition partition, int below) {
            for (String memberId : byLoad) {
                if (size(memberId) >= below) {
                    return Optional.empty();
                }
                if (spec.members().get(memberId).subscribedTopicIds().contains(partition.topicId())) {
                    return Optional.of(memberId);
                }
            }
            return Optional.empty();
        }
    }

    private static boolean isValid(AssignmentSpec spec, MemberSpec member, IdPartition partition) {
        Integer count = spec.partitions().get(partition.topicId());
        return count != null
                && partition.partition() < count
                && member.subscribedTopicIds().contains(partition.topicId());
    }

    /** Every partition of every existing topic someone subscribes to, in order. */
    static Set<IdPartition> subscribedPartitions(AssignmentSpec spec) {
        Set<Uuid> topics = new TreeSet<>();
        spec.members().values().forEach(member -> topics.addAll(member.subscribedTopicIds()));
        Set<IdPartition> all = new TreeSet<>();
        for (Uuid topic : topics) {
            Integer count = spec.partitions().get(topic);
            for (int p = 0; count != null && p < count; p++) {
                all.add(new IdPartition(topic, p));
            }
        }
        return all;
    }
}
