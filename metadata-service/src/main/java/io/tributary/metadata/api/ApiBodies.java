package io.tributary.metadata.api;

import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.common.zk.BrokerRegistration;
import io.tributary.metadata.topic.TopicConfigEntry;
import java.util.List;
import java.util.Map;

/** Request and response bodies of the REST API. */
final class ApiBodies {

    private ApiBodies() {}

    @Schema(description = "A topic to create. 'assignment' excludes 'partitions' and 'replicationFactor'.")
    record CreateTopicRequest(
            @Schema(description = "Topic name: [a-zA-Z0-9._-], at most 249 characters", example = "orders")
            String name,

            @Schema(description = "Partition count; missing or -1 means tributary.metadata.num-partitions")
            Integer partitions,

            @Schema(
                    description =
                            "Replicas per partition; missing or -1 means tributary.metadata.default-replication-factor")
            Integer replicationFactor,

            @Schema(
                    description = "Explicit replica assignment: partition number to broker ids, preferred leader first",
                    example = "{\"0\":[1,2,3],\"1\":[2,3,1]}")
            Map<Integer, List<Integer>> assignment,

            @Schema(description = "Topic config overrides by Kafka name", example = "{\"retention.ms\":\"86400000\"}")
            Map<String, String> configs,

            @Schema(description = "Only validate; create nothing")
            Boolean validateOnly) {}

    @Schema(description = "A partition increase")
    record CreatePartitionsRequest(
            @Schema(description = "The topic's partition count afterwards", example = "6")
            Integer totalCount,

            @Schema(description = "Replicas of the new partitions only, by partition number; optional")
            Map<Integer, List<Integer>> assignment,

            @Schema(description = "Only validate; change nothing")
            Boolean validateOnly) {}

    @Schema(description = "Config overrides to set and to remove (back to the default)")
    record AlterConfigsRequest(Map<String, String> set, List<String> delete, Boolean validateOnly) {}

    @Schema(description = "The effective configuration of a topic")
    record TopicConfigsResponse(String topic, List<TopicConfigEntry> configs) {}

    @Schema(description = "Partitions to elect preferred leaders for; missing or null means all")
    record ElectPreferredRequest(List<TopicPartitionRef> partitions) {}

    record TopicPartitionRef(String topic, int partition) {}

    @Schema(description = "Per-partition outcome; errorCode 0 when leadership moved to the preferred replica")
    record ElectionResult(String topic, int partition, int errorCode, String error, int leader) {}

    record ElectPreferredResponse(List<ElectionResult> results) {}

    record PartitionRef(String topic, int partition) {}

    @Schema(description = "The controller as recorded in /controller")
    record ControllerInfo(String instanceId, int controllerEpoch, String host, int httpPort) {}

    @Schema(description = "Cluster overview")
    record ClusterResponse(
            @Schema(description = "The current controller, null while none is elected")
            ControllerInfo controller,

            @Schema(description = "The value of /controller_epoch")
            int controllerEpoch,

            @Schema(description = "The instance that answered")
            String instanceId,

            @Schema(description = "Whether the instance that answered is the controller")
            boolean isController,

            List<BrokerRegistration> liveBrokers,
            int topicCount,
            int partitionCount,
            List<PartitionRef> underReplicatedPartitions,
            List<PartitionRef> offlinePartitions) {}
}
