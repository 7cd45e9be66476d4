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
}
