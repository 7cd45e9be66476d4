package io.tributary.group.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import io.tributary.group.ownership.GroupOwnership;
import io.tributary.group.testing.EnabledIfPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code postgres} profile: two coordinator instances on one PostgreSQL database (Flyway
 * migrating it once, Hibernate validating it). Each group is served by one of them; when that one
 * stops, the other takes the group over and finds its committed offsets and its row. Skipped
 * without a PostgreSQL server.
 */
@EnabledIfPostgres
class SharedPostgresIT {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    @TempDir
    Path dataDir;

    ConfigurableApplicationContext start(String name) {
        return CoordinatorInstances.start(
                ZOOKEEPER.connectString(),
                dataDir.resolve(name),
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + EnabledIfPostgres.Postgres.url(),
                "--spring.datasource.username=" + EnabledIfPostgres.Postgres.user(),
                "--spring.datasource.password=" + EnabledIfPostgres.Postgres.password(),
                "--spring.cloud.zookeeper.discovery.instance-id=" + name);
    }

    @Test
    void shouldServeEachGroupFromOneInstanceAndHandItOverWithItsOffsets() throws Exception {
        String group = "shared-" + UUID.randomUUID();
        RequestContext ctx = RequestContext.of("admin", "/127.0.0.1", 9);
        ConfigurableApplicationContext first = start("gc-1");
        ConfigurableApplicationContext second = start("gc-2");
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> first.getBean(GroupOwnership.class).ownsGroup(group)
                            != second.getBean(GroupOwnership.class).ownsGroup(group));
            boolean firstServes = first.getBean(GroupOwnership.class).ownsGroup(group);
            ConfigurableApplicationContext serving = firstServes ? first : second;
            ConfigurableApplicationContext other = firstServes ? second : first;
            GroupCoordinator owner = serving.getBean(GroupCoordinator.class);
            GroupCoordinator survivor = other.getBean(GroupCoordinator.class);

            var committed = owner.commitOffsets(
                            ctx,
                            new OffsetCommitRequestData()
                                    .setGroupId(group)
                                    .setGenerationIdOrMemberEpoch(-1)
                                    .setTopics(List.of(new OffsetCommitRequestTopic()
                                            .setName("t")
                                            .setPartitions(List.of(new OffsetCommitRequestPartition()
                                                    .setPartitionIndex(0)
                                                    .setCommittedOffset(77)
                                                    .setCommittedLeaderEpoch(3)
                                                    .setCommittedMetadata("m"))))))
                    .get(10, TimeUnit.SECONDS);
            assertThat(Errors.forCode(
                            committed.topics().get(0).partitions().get(0).errorCode()))
                    .isEqualTo(Errors.NONE);
            // the instance that does not serve the group says so, as a Kafka broker that lost it does
            assertThat(Errors.forCode(fetch(survivor, ctx, group).errorCode())).isEqualTo(Errors.NOT_COORDINATOR);

            // the owner goes away: the other instance takes the group over with its offsets and row
            serving.close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> other.getBean(GroupOwnership.class).ownsGroup(group));
            var partition =
                    fetch(survivor, ctx, group).topics().get(0).partitions().get(0);
            assertThat(partition.committedOffset()).isEqualTo(77);
            assertThat(partition.committedLeaderEpoch()).isEqualTo(3);
            assertThat(partition.metadata()).isEqualTo("m");
            assertThat(survivor.listGroups(ctx, new ListGroupsRequestData())
                            .get(10, TimeUnit.SECONDS)
                            .groups())
                    .extracting(ListedGroup::groupId)
                    .contains(group);

            // and deletes it (leaving the database as it was)
            var deleted = survivor.deleteGroups(ctx, new DeleteGroupsRequestData().setGroupsNames(List.of(group)))
                    .get(10, TimeUnit.SECONDS);
            assertThat(Errors.forCode(deleted.results().find(group).errorCode()))
                    .isEqualTo(Errors.NONE);
            assertThat(fetch(survivor, ctx, group).topics()).isEmpty();
        } finally {
            second.close();
            first.close();
        }
    }

    private static OffsetFetchResponseGroup fetch(GroupCoordinator coordinator, RequestContext ctx, String group)
            throws Exception {
        return coordinator
                .fetchOffsets(
                        ctx,
                        new OffsetFetchRequestData()
                                .setGroups(List.of(new OffsetFetchRequestGroup()
                                        .setGroupId(group)
                                        .setTopics(null))))
                .get(10, TimeUnit.SECONDS)
                .groups()
                .get(0);
    }
}
