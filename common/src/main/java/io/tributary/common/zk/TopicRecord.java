package io.tributary.common.zk;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Content of the persistent {@code /topics/{name}} znode, written by metadata-service.
 *
 * @param topicId    the topic's id; never reused after a delete and re-create
 * @param partitions replica assignment: partition number to the ordered broker ids (the first
 *                   is the preferred leader)
 * @param configs    topic-level configuration overrides, by Kafka config name
 */
public record TopicRecord(UUID topicId, Map<Integer, List<Integer>> partitions, Map<String, String> configs) {

    public TopicRecord {
        partitions = Map.copyOf(partitions);
        configs = configs == null ? Map.of() : Map.copyOf(configs);
    }

    public int partitionCount() {
        return partitions.size();
    }

    public List<Integer> replicas(int partition) {
        return partitions.getOrDefault(partition, List.of());
    }
}
