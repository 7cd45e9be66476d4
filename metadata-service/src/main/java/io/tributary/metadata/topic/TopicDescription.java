package io.tributary.metadata.topic;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A topic as the REST API describes it.
 *
 * @param name       the topic name
 * @param topicId    its id ({@code null} in a validate-only answer)
 * @param partitions its partitions in order
 * @param configs    the topic's configuration overrides
 */
public record TopicDescription(
        String name, UUID topicId, List<PartitionDescription> partitions, Map<String, String> configs) {}
