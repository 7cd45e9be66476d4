package io.tributary.broker.admin;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The JSON bodies of metadata-service's topic REST API ({@code /api/topics}) as the broker reads
 * and writes them. They mirror metadata-service's own records by shape only: the services share
 * no code beyond {@code common}, and unknown fields are ignored so either side can grow.
 */
public final class MetadataServiceBodies {

    private MetadataServiceBodies() {}

    /**
     * {@code POST /api/topics}. {@code assignment} excludes {@code partitions} and
     * {@code replicationFactor}; -1 (or {@code null}) means the metadata-service default.
     */
    public record NewTopic(
            String name,
            Integer partitions,
            Integer replicationFactor,
            Map<Integer, List<Integer>> assignment,
            Map<String, String> configs,
            Boolean validateOnly) {}

    /** {@code POST /api/topics/{name}/partitions}: the count afterwards and the new partitions' replicas. */
    public record PartitionIncrease(Integer totalCount, Map<Integer, List<Integer>> assignment, Boolean validateOnly) {}

    /** {@code PATCH /api/topics/{name}/configs}: overrides to set and to remove. */
    public record ConfigChanges(Map<String, String> set, List<String> delete, Boolean validateOnly) {}

    /** A topic as metadata-service describes it; {@code topicId} is {@code null} in a validate-only answer. */
    public record TopicDescription(
            String name, UUID topicId, List<PartitionDescription> partitions, Map<String, String> configs) {

        public int partitionCount() {
            return partitions == null ? 0 : partitions.size();
        }

        /** The replication factor (of partition 0; all partitions share it), -1 when unknown. */
        public int replicationFactor() {
            return partitions == null
                            || partitions.isEmpty()
                            || partitions.get(0).replicas() == null
                    ? -1
                    : partitions.get(0).replicas().size();
        }
    }

    /** One partition of a {@link TopicDescription}. */
    public record PartitionDescription(
            int partition, List<Integer> replicas, int leader, int leaderEpoch, List<Integer> isr) {}

    /** {@code GET /api/topics/{name}/configs}: every known config, overrides and defaults. */
    public record TopicConfigs(String topic, List<TopicConfigEntry> configs) {}

    /**
     * One effective topic config.
     *
     * @param source {@code TOPIC} for an override, {@code DEFAULT} otherwise
     * @param type   the {@link org.apache.kafka.common.config.ConfigDef.Type} name
     */
    public record TopicConfigEntry(String name, String value, String source, String type) {

        public static final String SOURCE_TOPIC = "TOPIC";

        public boolean isOverride() {
            return SOURCE_TOPIC.equals(source);
        }
    }
}
