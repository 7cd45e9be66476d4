package io.tributary.common.zk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ZkJsonTest {

    @Test
    void shouldRoundTripTopicRecordWithIntegerPartitionKeys() {
        TopicRecord topic = new TopicRecord(
                UUID.randomUUID(), Map.of(0, List.of(1, 2, 3), 1, List.of(2, 3, 1)), Map.of("retention.ms", "1000"));

        TopicRecord read = ZkJson.fromBytes(ZkJson.toBytes(topic), TopicRecord.class);

        assertThat(read).isEqualTo(topic);
        assertThat(read.replicas(1)).containsExactly(2, 3, 1);
    }

    @Test
    void shouldIgnoreFieldsWrittenByNewerVersions() {
        byte[] json = "{\"leader\":2,\"leaderEpoch\":5,\"isr\":[2,3],\"controllerEpoch\":1,\"future\":true}"
                .getBytes(StandardCharsets.UTF_8);

        PartitionState state = ZkJson.fromBytes(json, PartitionState.class);

        assertThat(state).isEqualTo(new PartitionState(2, 5, List.of(2, 3), 1));
        assertThat(state.isOnline()).isTrue();
    }

    @Test
    void shouldRoundTripABrokerRegistrationNamingOfflineReplicas() {
        BrokerRegistration broker = new BrokerRegistration(1, "localhost", 9092, 8081, null, 7L)
                .withOffline(List.of("/data/disk-2"), Map.of("orders", List.of(3, 0)));

        BrokerRegistration read = ZkJson.fromBytes(ZkJson.toBytes(broker), BrokerRegistration.class);

        assertThat(read).isEqualTo(broker);
        assertThat(read.isReplicaOffline("orders", 0)).isTrue();
        assertThat(read.isReplicaOffline("orders", 1)).isFalse();
        assertThat(read.offlineReplicas().get("orders")).containsExactly(0, 3);
    }

    @Test
    void shouldReadABrokerRegistrationOfAnOlderBrokerAsHavingNoOfflineDirectories() {
        byte[] json = "{\"id\":2,\"host\":\"h\",\"kafkaPort\":9093,\"httpPort\":8082,\"rack\":null,\"startedAt\":1}"
                .getBytes(StandardCharsets.UTF_8);

        BrokerRegistration read = ZkJson.fromBytes(json, BrokerRegistration.class);

        assertThat(read).isEqualTo(new BrokerRegistration(2, "h", 9093, 8082, null, 1L));
        assertThat(read.offlineLogDirs()).isEmpty();
        assertThat(read.isReplicaOffline("orders", 0)).isFalse();
    }
}
