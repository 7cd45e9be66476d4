package io.tributary.spring.autoconfigure.topics;

import java.util.Map;

/**
 * What {@code tributary.topics.<name>.*} binds to; a {@code null} falls back to
 * {@code tributary.topics.defaults}.
 *
 * @param partitions        number of partitions
 * @param replicationFactor number of replicas of each partition
 * @param configs           topic configs, merged over the default configs
 */
public record TopicSpec(Integer partitions, Short replicationFactor, Map<String, String> configs) {}
