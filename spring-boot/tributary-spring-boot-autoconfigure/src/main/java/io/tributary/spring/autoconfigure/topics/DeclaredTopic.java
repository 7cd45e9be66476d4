package io.tributary.spring.autoconfigure.topics;

import java.util.Map;
import java.util.TreeMap;

/**
 * A topic as the application declares it, with the defaults already applied.
 *
 * @param name              the topic name
 * @param partitions        declared number of partitions
 * @param replicationFactor declared number of replicas per partition
 * @param configs           declared topic configs; keys not named here are not compared
 */
public record DeclaredTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public DeclaredTopic {
        configs = Map.copyOf(new TreeMap<>(configs));
    }
}
