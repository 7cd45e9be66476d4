package io.tributary.group;

import static io.tributary.group.testing.CoordinatorHarness.ctx;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.group.consumer.TopicsImage;
import io.tributary.group.testing.CoordinatorHarness;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.junit.jupiter.api.Test;

class ConsumerGroupMetricsTest {

    @Test
    void shouldCountConsumerGroupsByStateAndTheirMembers() {
        CoordinatorHarness h = new CoordinatorHarness();
        h.topics = TopicsImage.of(new TopicsImage.Topic("orders", new Uuid(1, 1), 2));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new ConsumerGroupMetrics(h.consumerGroups).bindTo(meters);

        for (String member : List.of("a", "b")) {
            h.coordinator.consumerGroupHeartbeat(
                    ctx(1),
                    new ConsumerGroupHeartbeatRequestData()
                            .setGroupId("g")
                            .setMemberId(member)
                            .setMemberEpoch(0)
                            .setRebalanceTimeoutMs(30_000)
                            .setSubscribedTopicNames(List.of("orders"))
                            .setTopicPartitions(List.of()));
        }

        assertThat(meters.get("tributary.group.consumer.members").gauge().value())
                .isEqualTo(2);
        assertThat(meters.get("tributary.group.consumer.groups")
                        .tag("state", "Reconciling")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(meters.get("tributary.group.consumer.groups")
                        .tag("state", "Stable")
                        .gauge()
                        .value())
                .isZero();
    }
}
