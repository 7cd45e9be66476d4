package io.tributary.broker.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;

/**
 * One topic as the broker sees it: the assignment written by metadata-service and each
 * partition's state written by the controller (absent until the controller has initialised it).
 */
public record TopicMetadata(String name, TopicRecord record, Map<Integer, PartitionState> states) {

    public TopicMetadata {
        states = Map.copyOf(states);
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
