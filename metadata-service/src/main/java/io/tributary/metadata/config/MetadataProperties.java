package io.tributary.metadata.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The metadata-service's settings.
 *
 * @param instanceId                   this instance's name in {@code /controller} and the cluster view;
 *                                     empty means {@code host:httpPort}
 * @param host                         the host other instances reach this instance's HTTP API on (an
 *                                     instance forwards preferred-leader elections to the controller)
 * @param numPartitions                Kafka's {@code num.partitions}: partitions of a topic created
 *                                     without a count
 * @param defaultReplicationFactor     Kafka's {@code default.replication.factor}: replication factor
 *                                     of a topic created without one
 * @param autoLeaderRebalanceEnable    Kafka's {@code auto.leader.rebalance.enable}: the controller
 *                                     moves leadership back to preferred replicas that are in the ISR
 * @param leaderImbalanceCheckInterval Kafka's {@code leader.imbalance.check.interval.seconds}: how
 *                                     often the controller looks for partitions led by a replica
 *                                     other than the preferred one
 * @param topicReadyTimeout            how long a create or partition increase waits for the
 *                                     controller to elect the new partitions' leaders before it
 *                                     answers (the answer then shows leader -1)
 * @param requestTimeout               how long an HTTP request waits for the controller's event
 *                                     thread (preferred-leader elections)
 */
@Validated
@ConfigurationProperties("tributary.metadata")
public record MetadataProperties(
        @DefaultValue("") String instanceId,
        @NotBlank @DefaultValue("localhost") String host,
        @Min(1) @DefaultValue("1") int numPartitions,
        @Min(1) @DefaultValue("1") int defaultReplicationFactor,
        @DefaultValue("true") boolean autoLeaderRebalanceEnable,
        @NotNull @DefaultValue("300s") Duration leaderImbalanceCheckInterval,
        @NotNull @DefaultValue("5s") Duration topicReadyTimeout,
        @NotNull @DefaultValue("10s") Duration requestTimeout) {

    /** The instance id to use when the HTTP server listens on {@code httpPort}. */
    public String instanceIdOr(int httpPort) {
        return instanceId.isBlank() ? host + ":" + httpPort : instanceId;
    }
}
