package io.tributary.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The topics image follows {@code /topics} in a real ZooKeeper: created, grown, deleted. */
class ZkTopicsImageSourceIT {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    CuratorFramework curator;
    ZkTopicsImageSource source;

    @BeforeEach
    void start() throws Exception {
        curator = CuratorFrameworkFactory.builder()
                .connectString(ZOOKEEPER.connectString())
                .namespace("tributary-topics-image")
                .retryPolicy(new RetryOneTime(100))
                .build();
        curator.start();
        curator.create().creatingParentsIfNeeded().forPath(ZkPaths.TOPICS);
        source = new ZkTopicsImageSource(curator);
        source.start();
    }

    @AfterEach
    void stop() throws Exception {
        source.close();
        curator.delete().deletingChildrenIfNeeded().forPath(ZkPaths.TOPICS);
        curator.close();
    }

    @Test
    void shouldSeeTopicsCreatedGrownAndDeletedWithTheirIds() throws Exception {
        UUID id = UUID.randomUUID();
        curator.create().forPath(ZkPaths.topic("orders"), record(id, 3));
        // partition znodes below a topic are not topics
        curator.create().creatingParentsIfNeeded().forPath(ZkPaths.partitionState("orders", 0), new byte[] {'{', '}'});

        await().atMost(Duration.ofSeconds(10))
                .until(() -> source.current().topic("orders").isPresent());
        TopicsImage.Topic orders = source.current().topic("orders").orElseThrow();
        assertThat(orders.id()).isEqualTo(new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()));
        assertThat(orders.partitions()).isEqualTo(3);
        assertThat(source.current().byName()).containsOnlyKeys("orders");

        curator.setData().forPath(ZkPaths.topic("orders"), record(id, 5));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> source.current().topic("orders").orElseThrow().partitions() == 5);

        curator.delete().deletingChildrenIfNeeded().forPath(ZkPaths.topic("orders"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> source.current().byName().isEmpty());
    }

    private static byte[] record(UUID id, int partitions) {
        Map<Integer, List<Integer>> assignment = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            assignment.put(p, List.of(1));
        }
        return ZkJson.toBytes(new TopicRecord(id, assignment, Map.of()));
    }
}
