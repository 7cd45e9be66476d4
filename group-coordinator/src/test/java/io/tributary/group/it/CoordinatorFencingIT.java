package io.tributary.group.it;

import static io.tributary.group.it.GroupCoordinatorRestartIT.assertCommitted;
import static io.tributary.group.it.GroupCoordinatorRestartIT.commit;
import static io.tributary.group.it.GroupCoordinatorRestartIT.get;
import static io.tributary.group.it.GroupCoordinatorRestartIT.joinStable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import io.tributary.group.GroupDatabaseExecutor;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import io.tributary.group.ownership.GroupOwnership;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.protocol.Errors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole service on a real ZooKeeper: once another live instance claims a group's partition at
 * a higher epoch, this instance stops serving the group at once. Its members' heartbeats, commits
 * and offset fetches are answered NOT_COORDINATOR (so the clients find the new coordinator) and
 * nothing more is written for the group here; a commit it accepted before and writes after the new
 * owner wrote is refused by the store (the write epoch fence).
 */
class CoordinatorFencingIT {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    @TempDir
    Path dataDir;

    @Test
    void shouldAnswerNotCoordinatorOnceAnotherInstanceClaimsTheGroupAtAHigherEpoch() throws Exception {
        String group = "restartable"; // the group GroupCoordinatorRestartIT's helpers join
        RequestContext ctx = RequestContext.of("consumer-1", "/127.0.0.1", 9);
        try (ConfigurableApplicationContext context = CoordinatorInstances.start(
                ZOOKEEPER.connectString(), dataDir, "--tributary.group.initial-rebalance-delay=0s")) {
            GroupCoordinator coordinator = context.getBean(GroupCoordinator.class);
            GroupOwnership ownership = context.getBean(GroupOwnership.class);
            CuratorFramework curator = context.getBean(CuratorFramework.class);
            var member = joinStable(coordinator);
            assertCommitted(
                    get(coordinator.commitOffsets(ctx, commit(group, member.memberId(), member.generationId(), 5))));
            int partition = GroupPartitionOwner.partitionOf(group);
            long epoch = ownership.ownedPartitions().get(partition);

            // another live instance claims the partition with a compare-and-set at a higher epoch
            curator.create().withMode(CreateMode.EPHEMERAL).forPath(ZkPaths.groupCoordinatorInstance("~usurper"));
            Stat stat = new Stat();
            curator.getData().storingStatIn(stat).forPath(ZkPaths.groupPartition(partition));
            curator.setData()
                    .withVersion(stat.getVersion())
                    .forPath(
                            ZkPaths.groupPartition(partition),
                            ZkJson.toBytes(new GroupPartitionOwner("~usurper", epoch + 1, "elsewhere", 1, 2)));

            await().atMost(Duration.ofSeconds(2)).until(() -> !ownership.ownsGroup(group));
            var heartbeat = get(coordinator.heartbeat(
                    RequestContext.of("consumer-1", "/127.0.0.1", 4),
                    new HeartbeatRequestData()
                            .setGroupId(group)
                            .setMemberId(member.memberId())
                            .setGenerationId(member.generationId())));
            assertThat(Errors.forCode(heartbeat.errorCode())).isEqualTo(Errors.NOT_COORDINATOR);
            var commit =
                    get(coordinator.commitOffsets(ctx, commit(group, member.memberId(), member.generationId(), 9)));
            assertThat(commit.topics().get(0).partitions())
                    .allSatisfy(p -> assertThat(Errors.forCode(p.errorCode())).isEqualTo(Errors.NOT_COORDINATOR));
            var fetch = get(coordinator.fetchOffsets(
                    ctx,
                    new OffsetFetchRequestData()
                            .setGroups(List.of(new OffsetFetchRequestGroup()
                                    .setGroupId(group)
                                    .setTopics(null)))));
            assertThat(Errors.forCode(fetch.groups().get(0).errorCode())).isEqualTo(Errors.NOT_COORDINATOR);
            // it stays fenced: the partition's owner is live
            Thread.sleep(1000);
            assertThat(ownership.ownsGroup(group)).isFalse();
        }
    }

    /**
     * A commit accepted while this instance served the group, but written only after the group
     * moved to another instance and that one committed (a paused database thread, or a session
     * that expired unnoticed), is refused by the store with NOT_COORDINATOR: it must not overwrite
     * the new owner's acknowledged commit.
     */
    @Test
    void shouldRefuseACommitAcceptedBeforeTheGroupMovedOnceTheNewOwnerHasWritten() throws Exception {
        // of two instances, the second in id order (gc-b) is assigned the odd group partitions
        String group = IntStream.range(0, 100)
                .mapToObj(i -> "moved-mid-commit-" + i)
                .filter(g -> GroupPartitionOwner.partitionOf(g) % 2 == 1)
                .findFirst()
                .orElseThrow();
        RequestContext ctx = RequestContext.of("consumer-1", "/127.0.0.1", 9);
        Path shared = dataDir.resolve("shared");
        try (ConfigurableApplicationContext first = CoordinatorInstances.start(
                ZOOKEEPER.connectString(),
                shared,
                "--tributary.group.database-threads=1",
                "--spring.cloud.zookeeper.discovery.instance-id=gc-a")) {
            GroupCoordinator stale = first.getBean(GroupCoordinator.class);
            assertCommitted(get(stale.commitOffsets(ctx, commit(group, "", -1, 5))));

            // the first instance accepts a commit, but its only database thread is held up
            CountDownLatch paused = new CountDownLatch(1);
            first.getBean(GroupDatabaseExecutor.class).execute(() -> {
                try {
                    paused.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CompletableFuture<OffsetCommitResponseData> accepted = stale.commitOffsets(ctx, commit(group, "", -1, 9));

            // meanwhile a second instance takes the group over and commits
            try (ConfigurableApplicationContext second = CoordinatorInstances.start(
                    ZOOKEEPER.connectString(), shared, "--spring.cloud.zookeeper.discovery.instance-id=gc-b")) {
                GroupOwnership owner = second.getBean(GroupOwnership.class);
                await().atMost(Duration.ofSeconds(15)).until(() -> owner.ownsGroup(group));
                GroupCoordinator current = second.getBean(GroupCoordinator.class);
                assertCommitted(get(current.commitOffsets(ctx, commit(group, "", -1, 20))));

                paused.countDown();
                assertThat(get(accepted).topics().get(0).partitions())
                        .as("the commit accepted under the old epoch")
                        .allSatisfy(
                                p -> assertThat(Errors.forCode(p.errorCode())).isEqualTo(Errors.NOT_COORDINATOR));
                var fetched = get(current.fetchOffsets(
                        ctx,
                        new OffsetFetchRequestData()
                                .setGroups(List.of(new OffsetFetchRequestGroup()
                                        .setGroupId(group)
                                        .setTopics(null)))));
                assertThat(fetched.groups().get(0).topics().get(0).partitions())
                        .filteredOn(p -> p.partitionIndex() == 0)
                        .singleElement()
                        .satisfies(p -> assertThat(p.committedOffset())
                                .as("the new owner's commit stands")
                                .isEqualTo(20));
            }
        }
    }
}
