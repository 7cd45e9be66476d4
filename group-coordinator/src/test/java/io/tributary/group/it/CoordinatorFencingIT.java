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
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import io.tributary.group.ownership.GroupOwnership;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.message.HeartbeatRequestData;
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
 * nothing more is written for the group here.
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
}
