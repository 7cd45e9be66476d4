package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterMetadataCacheTest {

    private TestingServer zookeeper;
    private CuratorFramework curator;
    private ClusterMetadataCache cache;

    @BeforeEach
    void start() throws Exception {
        zookeeper = new TestingServer(true);
        curator = CuratorFrameworkFactory.builder()
                .connectString(zookeeper.getConnectString())
                .namespace("tributary")
                .retryPolicy(new RetryOneTime(100))
                .build();
        curator.start();
        cache = new ClusterMetadataCache(curator);
        cache.start();
    }

    @AfterEach
    void stop() throws Exception {
        cache.close();
        curator.close();
        zookeeper.close();
    }

    @Test
    void shouldTrackBrokersComingAndGoing() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.snapshot().initialized());
        registerBroker(2);
        registerBroker(1);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> cache.snapshot().brokers().size() == 2);
        assertThat(cache.snapshot().brokers().keySet()).containsExactly(1, 2);
        assertThat(cache.snapshot().controllerBrokerId()).isEqualTo(1);
        assertThat(cache.snapshot().broker(2))
                .get()
                .extracting(BrokerRegistration::kafkaPort)
                .isEqualTo(9094);

        curator.delete().forPath(ZkPaths.broker(1));

        await().atMost(Duration.ofSeconds(5)).until(() -> !cache.snapshot().isLive(1));
        assertThat(cache.snapshot().controllerBrokerId()).isEqualTo(2);
    }

    @Test
    void shouldExposeTopicsWithPartitionStatesByNameAndId() throws Exception {
        UUID topicId = UUID.randomUUID();
        createTopic(
                "orders",
                new TopicRecord(topicId, Map.of(0, List.of(1, 2), 1, List.of(2, 1)), Map.of("retention.ms", "1000")));
        setState("orders", 0, new PartitionState(1, 3, List.of(1, 2), 1));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> cache.snapshot()
                        .topic("orders")
                        .flatMap(t -> t.state(0))
                        .isPresent());
        TopicMetadata orders = cache.snapshot().topic(topicId).orElseThrow();
        assertThat(orders.name()).isEqualTo("orders");
        assertThat(orders.partitionCount()).isEqualTo(2);
        assertThat(orders.state(0)).contains(new PartitionState(1, 3, List.of(1, 2), 1));
        assertThat(orders.state(1)).isEmpty();
        assertThat(orders.record().configs()).containsEntry("retention.ms", "1000");

        curator.delete().deletingChildrenIfNeeded().forPath(ZkPaths.topic("orders"));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> cache.snapshot().topic("orders").isEmpty());
        assertThat(cache.snapshot().topic(topicId)).isEmpty();
    }

    @Test
    void shouldLeaveOutUnreadableZnodesAndKeepServingTheRest() throws Exception {
        curator.create()
                .creatingParentsIfNeeded()
                .forPath(ZkPaths.topic("broken"), "{not json".getBytes(StandardCharsets.UTF_8));
        createTopic("fine", new TopicRecord(UUID.randomUUID(), Map.of(0, List.of(1)), Map.of()));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> cache.snapshot().topic("fine").isPresent());
        assertThat(cache.snapshot().topic("broken")).isEmpty();
    }

    @Test
    void shouldTellListenersOfEachChange() throws Exception {
        List<ClusterSnapshot> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        cache.addListener(seen::add);

        registerBroker(5);

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().anyMatch(s -> s.isLive(5)));
    }

    private void registerBroker(int id) throws Exception {
        curator.create()
                .creatingParentsIfNeeded()
                .withMode(CreateMode.EPHEMERAL)
                .forPath(
                        ZkPaths.broker(id),
                        ZkJson.toBytes(new BrokerRegistration(id, "localhost", 9092 + id, 8080 + id, null, 0L)));
    }

    private void createTopic(String name, TopicRecord record) throws Exception {
        curator.create().creatingParentsIfNeeded().forPath(ZkPaths.topic(name), ZkJson.toBytes(record));
    }

    private void setState(String topic, int partition, PartitionState state) throws Exception {
        curator.create()
                .creatingParentsIfNeeded()
                .forPath(ZkPaths.partitionState(topic, partition), ZkJson.toBytes(state));
    }
}
