package io.tributary.group.consumer.assignor;

import java.util.Comparator;
import org.apache.kafka.common.Uuid;

/**
 * One partition of a topic named by its id, as KIP-848 assignments name them (a topic re-created
 * under the same name is another topic). Ordered by topic id, then partition.
 *
 * @param topicId   the topic's id
 * @param partition the partition number
 */
public record IdPartition(Uuid topicId, int partition) implements Comparable<IdPartition> {

    private static final Comparator<IdPartition> ORDER =
            Comparator.comparing(IdPartition::topicId).thenComparingInt(IdPartition::partition);

    @Override
    public int compareTo(IdPartition other) {
        return ORDER.compare(this, other);
    }
}
