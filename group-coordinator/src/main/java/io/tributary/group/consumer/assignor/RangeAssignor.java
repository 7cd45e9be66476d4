package io.tributary.group.consumer.assignor;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * Kafka's {@code range} server-side assignor: per topic, the subscribed members in member id order
 * each take a contiguous range of partitions, the first {@code partitions % members} one more than
 * the rest. Topics with the same partition count and the same subscribers are therefore
 * co-partitioned: a member gets the same partition numbers of each, which joins between keyed
 * topics rely on.
 */
public final class RangeAssignor implements PartitionAssignor {

    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Set<IdPartition>> assign(AssignmentSpec spec) {
        Map<String, Set<IdPartition>> result = new TreeMap<>();
        spec.members().keySet().forEach(id -> result.put(id, new TreeSet<>()));
        Set<Uuid> topics = new TreeSet<>();
        spec.members().values().forEach(m -> topics.addAll(m.subscribedTopicIds()));
        for (Uuid topic : topics) {
            Integer count = spec.partitions().get(topic);
            if (count == null) {
                continue;
            }
            List<String> subscribers = result.keySet().stream()
                    .filter(id -> spec.members().get(id).subscribedTopicIds().contains(topic))
                    .toList();
            int quota = count / subscribers.size();
            int extra = count % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int size = quota + (i < extra ? 1 : 0);
                for (int p = next; p < next + size; p++) {
                    result.get(subscribers.get(i)).add(new IdPartition(topic, p));
                }
                next += size;
            }
        }
        result.replaceAll((id, partitions) -> Set.copyOf(partitions));
        return result;
    }
}
