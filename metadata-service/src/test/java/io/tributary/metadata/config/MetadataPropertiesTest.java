package io.tributary.metadata.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class MetadataPropertiesTest {

    @Test
    void shouldDefaultToKafkasSettings() {
        MetadataProperties properties = bind(Map.of());

        assertThat(properties.numPartitions()).isEqualTo(1);
        assertThat(properties.defaultReplicationFactor()).isEqualTo(1);
        assertThat(properties.autoLeaderRebalanceEnable()).isTrue();
        assertThat(properties.leaderImbalanceCheckInterval()).isEqualTo(Duration.ofSeconds(300));
        assertThat(properties.topicReadyTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.instanceIdOr(8090)).isEqualTo("localhost:8090");
    }

    @Test
    void shouldBindOverridesInRelaxedForm() {
        MetadataProperties properties = bind(Map.of(
                "tributary.metadata.instance-id",
                "md-a",
                "tributary.metadata.num-partitions",
                "6",
                "tributary.metadata.default-replication-factor",
                "3",
                "tributary.metadata.leader-imbalance-check-interval",
                "2s",
                "tributary.metadata.auto-leader-rebalance-enable",
                "false"));

        assertThat(properties.instanceIdOr(8090)).isEqualTo("md-a");
        assertThat(properties.numPartitions()).isEqualTo(6);
        assertThat(properties.defaultReplicationFactor()).isEqualTo(3);
        assertThat(properties.leaderImbalanceCheckInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.autoLeaderRebalanceEnable()).isFalse();
    }

    private static MetadataProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("tributary.metadata", MetadataProperties.class);
    }
}
