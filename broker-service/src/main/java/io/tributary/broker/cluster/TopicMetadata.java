package io.tributary.broker.cluster;

import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One topic as the broker sees it: the assignment written by metadata-service and each
 * partition's state written by the controller (absent until the controller has initialised it),
 * with the state znode's version, which an ISR change must name in its compare-and-set.
 */
public record TopicMetadata(
        String name, TopicRecord record, Map<Integer, PartitionState> states, Map<Integer, Integer> stateVersions) {

    public TopicMetadata {
        states = Map.copyOf(states);
        stateVersions = Map.copyOf(stateVersions);
    }

    public TopicMetadata(String name, TopicRecord record, Map<Integer, PartitionState> states) {
        this(name, record, states, Map.of());
    }

    /** The ZooKeeper version of the partition's state znode, -1 when unknown. */
    public int stateVersion(int partition) {
        return stateVersions.getOrDefault(partition, -1);
    }

    public UUID topicId() {
        return record.topicId();
    }

    public int partitionCount() {
        return record.partitionCount();
    }

    public Optional<PartitionState> state(int partition) {
        return Optional.ofNullable(states.get(partition));
    }
}
