package io.tributary.spring.autoconfigure.topics;

import java.util.Map;

/**
 * A topic as the cluster describes it.
 *
 * @param partitions        number of partitions
 * @param replicationFactor replicas of partition 0 (the cluster assigns every partition the same number)
 * @param configs           the topic's effective configs (overrides and defaults)
 */
public record ActualTopic(int partitions, int replicationFactor, Map<String, String> configs) {

    public ActualTopic {
        configs = Map.copyOf(configs);
    }
}
