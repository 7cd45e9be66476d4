package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Routing on a real ZooKeeper: a group goes to the instance its partition's ownership znode
 * names, follows a move at once, and has no owner while its partition is released.
 */
class GroupCoordinatorLocatorTest {

    private TestingServer zookeeper;
    private CuratorFramework curator;
    private ClusterMetadataCache cache;
    private GroupCoordinatorLocator locator;

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
        locator = new GroupCoordinatorLocator(cache, 1, new NoInstances(), curator);
    }

    @AfterEach
    void stop() throws Exception {
        locator.close();
        cache.close();
        curator.close();
        zookeeper.close();
    }

    @Test
    void shouldRouteAGroupToTheOwnerOfItsPartitionAndFollowAMove() throws Exception {
        String group = "billing";
        String path = ZkPaths.groupPartition(GroupPartitionOwner.partitionOf(group));
        assertThat(locator.owner(group)).isEmpty();

        curator.create()
                .creatingParentsIfNeeded()
                .forPath(path, ZkJson.toBytes(new GroupPartitionOwner("gc-1-a", 1, "host-1", 9192, 8091)));
        await().atMost(Duration.ofSeconds(5)).until(() -> locator.owner(group).isPresent());
        assertThat(locator.owner(group)).get().satisfies(node -> {
            assertThat(node.host()).isEqualTo("host-1");
            assertThat(node.port()).isEqualTo(9192);
        });

        // released during a hand-over: no owner, the relay answers COORDINATOR_NOT_AVAILABLE
        curator.setData()
                .forPath(path, ZkJson.toBytes(new GroupPartitionOwner("gc-1-a", 1, "host-1", 9192, 8091).released()));
        await().atMost(Duration.ofSeconds(5)).until(() -> locator.owner(group).isEmpty());

        curator.setData().forPath(path, ZkJson.toBytes(new GroupPartitionOwner("gc-2-b", 2, "host-2", 9193, 8092)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> locator.owner(group).map(Node::port).equals(Optional.of(9193)));
        assertThat(locator.owner("another-group-elsewhere")).isEmpty();
    }

    /** Discovery with no group-coordinator instances (only ListGroups uses it). */
    private static final class NoInstances implements DiscoveryClient {
        @Override
        public String description() {
            return "none";
        }

        @Override
        public List<ServiceInstance> getInstances(String serviceId) {
            return List.of();
        }

        @Override
        public List<String> getServices() {
            return List.of();
        }
    }
}
