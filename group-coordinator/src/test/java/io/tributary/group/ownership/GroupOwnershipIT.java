package io.tributary.group.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import io.tributary.curator.CuratorSessionWatchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group partition ownership on a real ZooKeeper, several {@link GroupOwnership} instances each
 * on its own Curator client (its own session): the partitions are split, never served twice,
 * fenced by a newer epoch or a lost session, and taken over when an owner dies. Each client is
 * set up as a service's: Spring Cloud Zookeeper's retry policy and a {@link
 * CuratorSessionWatchdog}, which gets it a new session should Curator stop reconnecting after the
 * expiry a test injects.
 */
class GroupOwnershipIT {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    private static final int SESSION_MS = 4000;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private int nextId;

    /** One instance with its own ZooKeeper session and the partitions it was told it lost. */
    record Instance(GroupOwnership ownership, CuratorFramework curator, List<Integer> lost) {}

    Instance start() {
        return start(partitions -> {});
    }

    /** @param onGained called with what each reconciliation pass claimed, before it serves it */
    Instance start(Consumer<Set<Integer>> onGained) {
        CuratorFramework curator = CuratorFrameworkFactory.builder()
                .connectString(ZOOKEEPER.connectString())
                .namespace("tributary-" + getClass().getSimpleName())
                .sessionTimeoutMs(SESSION_MS)
                .connectionTimeoutMs(2000)
                // Spring Cloud Zookeeper's default, the services' policy
                .retryPolicy(new ExponentialBackoffRetry(50, 10, 500))
                .build();
        curator.start();
        CuratorSessionWatchdog watchdog = new CuratorSessionWatchdog(curator, Duration.ofMillis(SESSION_MS));
        List<Integer> lost = new CopyOnWriteArrayList<>();
        GroupOwnership ownership = new GroupOwnership(curator, "gc-" + (++nextId) + "-test", onGained, lost::add);
        ownership.start("localhost", 9000 + nextId, 8000 + nextId, 10_000);
        closeables.add(curator);
        closeables.add(watchdog);
        closeables.add(ownership);
        return new Instance(ownership, curator, lost);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                // already closed by the test
            }
        }
        // leave no ownership behind for the next test
        try (CuratorFramework admin =
                CuratorFrameworkFactory.newClient(ZOOKEEPER.connectString(), new RetryOneTime(100))) {
            admin.start();
            admin.usingNamespace("tributary-" + getClass().getSimpleName())
                    .delete()
                    .quietly()
                    .deletingChildrenIfNeeded()
                    .forPath("/group_coordinators");
        }
    }

    @Test
    void aLoneInstanceServesEveryGroupOnceStarted() {
        Instance one = start();

        assertThat(one.ownership().ownedPartitions()).hasSize(GroupPartitionOwner.PARTITIONS);
        assertThat(one.ownership().ownsGroup("any-group")).isTrue();
    }

    @Test
    void twoInstancesSplitThePartitionsAndNeverServeOneTwice() throws Exception {
        Instance one = start();
        AtomicBoolean overlap = new AtomicBoolean();
        AtomicBoolean watching = new AtomicBoolean(true);
        List<Instance> both = new CopyOnWriteArrayList<>(List.of(one));
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                List<Set<Integer>> owned = both.stream()
                        .map(i -> Set.copyOf(i.ownership().ownedPartitions().keySet()))
                        .toList();
                Set<Integer> seen = new HashSet<>();
                owned.forEach(set -> set.forEach(p -> {
                    if (!seen.add(p)) {
                        overlap.set(true);
                    }
                }));
            }
        });
        watcher.start();
        Instance two = start();
        both.add(two);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(one.ownership().ownedPartitions()).hasSize(GroupPartitionOwner.PARTITIONS / 2);
            assertThat(two.ownership().ownedPartitions()).hasSize(GroupPartitionOwner.PARTITIONS / 2);
        });
        watching.set(false);
        watcher.join();

        assertThat(overlap).as("a partition served by both instances at once").isFalse();
        Set<Integer> union = new HashSet<>(one.ownership().ownedPartitions().keySet());
        union.addAll(two.ownership().ownedPartitions().keySet());
        assertThat(union).hasSize(GroupPartitionOwner.PARTITIONS);
        assertThat(one.lost()).hasSize(GroupPartitionOwner.PARTITIONS / 2); // handed over
    }

    @Test
    void anInstanceThatSeesAHigherEpochStopsServingThatPartitionAtOnce() throws Exception {
        Instance one = start();
        String group = "fenced-group";
        int partition = GroupPartitionOwner.partitionOf(group);
        long epoch = one.ownership().ownedPartitions().get(partition);

        // another live instance's claim, as a compare-and-set with a higher epoch
        one.curator().create().withMode(CreateMode.EPHEMERAL).forPath(ZkPaths.groupCoordinatorInstance("usurper"));
        Stat stat = new Stat();
        one.curator().getData().storingStatIn(stat).forPath(ZkPaths.groupPartition(partition));
        one.curator()
                .setData()
                .withVersion(stat.getVersion())
                .forPath(
                        ZkPaths.groupPartition(partition),
                        ZkJson.toBytes(new GroupPartitionOwner("usurper", epoch + 1, "elsewhere", 1, 2)));

        await().atMost(Duration.ofSeconds(2)).until(() -> one.lost().contains(partition));
        assertThat(one.ownership().ownsGroup(group)).isFalse();
        // and it does not take the partition back from a live owner
        Thread.sleep(1000);
        assertThat(one.ownership().ownsGroup(group)).isFalse();
    }

    @Test
    void anInstanceWhoseSessionExpiresStopsServingAtOnceAndClaimsAgainAtANewEpoch() throws Exception {
        Instance one = start();
        Instance two = start();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> two.ownership().ownedPartitions().size() == GroupPartitionOwner.PARTITIONS / 2);
        var before = two.ownership().ownedPartitions();

        two.curator().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

        await().atMost(Duration.ofSeconds(2)).until(() -> two.lost().containsAll(before.keySet()));
        // back with a new session, it serves its share again, each at a higher epoch; should
        // Curator not reconnect by itself, the watchdog resets it after twice the session timeout
        await().atMost(Duration.ofMillis(2 * SESSION_MS + 10_000))
                .until(() -> two.ownership().ownedPartitions().size() == GroupPartitionOwner.PARTITIONS / 2
                        && one.ownership().ownedPartitions().size() == GroupPartitionOwner.PARTITIONS / 2);
        two.ownership().ownedPartitions().forEach((partition, epoch) -> {
            if (before.containsKey(partition)) {
                assertThat(epoch).isGreaterThan(before.get(partition));
            }
        });
    }

    @Test
    void whenAnInstanceDiesASurvivorTakesOverItsPartitions() {
        Instance one = start();
        Instance two = start();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> two.ownership().ownedPartitions().size() == GroupPartitionOwner.PARTITIONS / 2);

        // its session ends without a release (the ZooKeeper client goes away with the process)
        two.curator().close();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> one.ownership().ownedPartitions().size() == GroupPartitionOwner.PARTITIONS);
    }

    @Test
    void aSurvivorClaimsEveryOrphanedPartitionBeforeLoadingThemAllInOneCall() throws Exception {
        List<Set<Integer>> loads = new CopyOnWriteArrayList<>();
        List<Integer> loadedBeforeClaimed = new CopyOnWriteArrayList<>();
        List<Integer> servedBeforeLoaded = new CopyOnWriteArrayList<>();
        List<Instance> self = new CopyOnWriteArrayList<>();
        Instance one = start(partitions -> {
            loads.add(Set.copyOf(partitions));
            if (self.isEmpty()) {
                return; // its first claims, made inside start()
            }
            for (int partition : partitions) {
                try {
                    byte[] data = self.get(0).curator().getData().forPath(ZkPaths.groupPartition(partition));
                    if (!ZkJson.fromBytes(data, GroupPartitionOwner.class)
                            .owner()
                            .equals("gc-1-test")) {
                        loadedBeforeClaimed.add(partition);
                    }
                } catch (Exception e) {
                    loadedBeforeClaimed.add(partition);
                }
                if (self.get(0).ownership().ownedPartitions().containsKey(partition)) {
                    servedBeforeLoaded.add(partition);
                }
            }
        });
        self.add(one);
        Instance two = start();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> two.ownership().ownedPartitions().size() == GroupPartitionOwner.PARTITIONS / 2);
        Set<Integer> orphaned = Set.copyOf(two.ownership().ownedPartitions().keySet());
        loads.clear();
        loadedBeforeClaimed.clear();
        servedBeforeLoaded.clear();

        two.curator().close();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> one.ownership().ownedPartitions().size() == GroupPartitionOwner.PARTITIONS);
        assertThat(loads).as("loads of the takeover").containsExactly(orphaned);
        assertThat(loadedBeforeClaimed)
                .as("partitions loaded before this instance had claimed them")
                .isEmpty();
        assertThat(servedBeforeLoaded)
                .as("partitions served before they were loaded")
                .isEmpty();
    }

    @Test
    void aClosedInstanceReleasesItsPartitionsToTheOthersAtOnce() {
        Instance one = start();
        Instance two = start();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> two.ownership().ownedPartitions().size() == GroupPartitionOwner.PARTITIONS / 2);

        two.ownership().close();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> one.ownership().ownedPartitions().size() == GroupPartitionOwner.PARTITIONS);
    }
}
