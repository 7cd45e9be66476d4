package io.tributary.group.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import io.tributary.group.testing.EnabledIfPostgres;
import java.nio.file.Path;
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
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code postgres} profile: two coordinator instances on one PostgreSQL database (Flyway
 * migrating it once, Hibernate validating it) see each other's committed offsets and groups,
 * as instances taking over each other's groups must. Skipped without a PostgreSQL server.
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
    void shouldShareCommittedOffsetsAndGroupsBetweenInstances() throws Exception {
        String group = "shared-" + UUID.randomUUID();
        RequestContext ctx = RequestContext.of("admin", "/127.0.0.1", 9);
        try (ConfigurableApplicationContext first = start("gc-1");
                ConfigurableApplicationContext second = start("gc-2")) {
            GroupCoordinator one = first.getBean(GroupCoordinator.class);
            GroupCoordinator two = second.getBean(GroupCoordinator.class);

            var committed = one.commitOffsets(
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

            var fetched = two.fetchOffsets(
                            ctx,
                            new OffsetFetchRequestData()
                                    .setGroups(List.of(new OffsetFetchRequestGroup()
                                            .setGroupId(group)
                                            .setTopics(null))))
                    .get(10, TimeUnit.SECONDS);
            var partition = fetched.groups().get(0).topics().get(0).partitions().get(0);
            assertThat(partition.committedOffset()).isEqualTo(77);
            assertThat(partition.committedLeaderEpoch()).isEqualTo(3);
            assertThat(partition.metadata()).isEqualTo("m");

            assertThat(two.listGroups(ctx, new ListGroupsRequestData())
                            .get(10, TimeUnit.SECONDS)
                            .groups())
                    .extracting(ListedGroup::groupId)
                    .contains(group);

            // and one deletes what the other created (leaving the database as it was)
            var deleted = two.deleteGroups(ctx, new DeleteGroupsRequestData().setGroupsNames(List.of(group)))
                    .get(10, TimeUnit.SECONDS);
            assertThat(Errors.forCode(deleted.results().find(group).errorCode()))
                    .isEqualTo(Errors.NONE);
            var gone = one.fetchOffsets(
                            ctx,
                            new OffsetFetchRequestData()
                                    .setGroups(List.of(new OffsetFetchRequestGroup()
                                            .setGroupId(group)
                                            .setTopics(null))))
                    .get(10, TimeUnit.SECONDS);
            assertThat(gone.groups().get(0).topics()).isEmpty();
        }
    }
}
