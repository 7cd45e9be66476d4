package io.tributary.metadata.it;

import static io.tributary.metadata.it.MetadataCluster.get;
import static io.tributary.metadata.it.MetadataCluster.patch;
import static io.tributary.metadata.it.MetadataCluster.post;
import static io.tributary.metadata.it.TopicAdminIT.ints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

class LeaderElectionIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private MetadataCluster cluster;
    private ConfigurableApplicationContext any;

    @BeforeEach
    void setUp() throws Exception {
        cluster = MetadataCluster.get();
        any = cluster.instances.get(1);
        cluster.startBrokers(3);
    }

    @AfterEach
    void tearDown() {
        cluster.stopAllBrokers();
    }

    @Test
    void shouldMoveLeadershipOffADeadBrokerToAnIsrMemberAndDropItFromTheIsr() throws Exception {
        List<PartitionState> before = create("failover", 6, 3);

        cluster.stopBroker(2);

        List<PartitionState> after = await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(25))
                .until(
                        () -> states("failover", 6),
                        s -> s.stream().noneMatch(p -> p.isr().contains(2)));
        for (int p = 0; p < 6; p++) {
            PartitionState was = before.get(p);
            PartitionState now = after.get(p);
            assertThat(now.isr())
                    .containsExactlyElementsOf(
                            was.isr().stream().filter(b -> b != 2).toList());
            if (was.leader() == 2) {
                assertThat(now.leader()).isIn(1, 3);
                assertThat(now.leaderEpoch()).isEqualTo(was.leaderEpoch() + 1);
            } else {
                assertThat(now.leader()).isEqualTo(was.leader());
                assertThat(now.leaderEpoch()).isEqualTo(was.leaderEpoch());
            }
        }
        JsonNode clusterView = await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(25))
                .until(
                        () -> get(any, "/api/cluster").body(),
                        body -> count(body.path("underReplicatedPartitions"), "failover") == 6);
        assertThat(clusterView.path("liveBrokers")).hasSize(2);
    }

    @Test
    void shouldMoveLeadershipOffAReplicaWhoseLogDirectoryWentOfflineAndKeepTheBrokersOtherReplicas() throws Exception {
        List<PartitionState> before = create("dir-failure", 2, 3);
        int broker = before.get(0).leader();

        cluster.reportOffline(broker, "/data/disk-2", Map.of("dir-failure", List.of(0)));

        PartitionState moved = awaitState("dir-failure", 0, s -> !s.isr().contains(broker));
        assertThat(moved.leader()).isNotEqualTo(broker).isIn(before.get(0).isr());
        assertThat(moved.leaderEpoch()).isEqualTo(before.get(0).leaderEpoch() + 1);
        assertThat(moved.isr())
                .containsExactlyElementsOf(
                        before.get(0).isr().stream().filter(b -> b != broker).toList());
        // the broker is live: its replica on a healthy directory keeps its place and its role
        Thread.sleep(300);
        assertThat(state("dir-failure", 1)).isEqualTo(before.get(1));

        // a restart registers with every directory online: the replica is usable again, but only
        // its leader adds it back to the ISR once it has caught up
        cluster.stopBroker(broker);
        cluster.startBroker(broker, null);
        Thread.sleep(300);
        assertThat(state("dir-failure", 0).leader()).isEqualTo(moved.leader());
        assertThat(state("dir-failure", 0).isr()).doesNotContain(broker);
    }

    @Test
    void shouldTakeAPartitionOfflineWhenNoIsrMemberIsLeftAndBringItBackWithItsLastIsrMember() throws Exception {
        PartitionState initial = create("lonely", 1, 2).get(0);
        int leader = initial.leader();
        int follower = initial.isr().get(1);

        cluster.stopBroker(leader);
        PartitionState moved = awaitState("lonely", 0, s -> s.leader() == follower);
        assertThat(moved.isr()).containsExactly(follower);
        assertThat(moved.leaderEpoch()).isEqualTo(1);

        cluster.stopBroker(follower);
        PartitionState offline = awaitState("lonely", 0, s -> !s.isOnline());
        assertThat(offline.leaderEpoch()).isEqualTo(2);
        assertThat(offline.isr())
                .as("the last ISR member is kept for a clean election")
                .containsExactly(follower);
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(25))
                .until(() -> count(get(any, "/api/cluster").body().path("offlinePartitions"), "lonely") == 1);

        // the old leader is back but not in the ISR: it must not lead
        cluster.startBroker(leader, null);
        Thread.sleep(300);
        assertThat(state("lonely", 0).leader()).isEqualTo(PartitionState.NO_LEADER);

        cluster.startBroker(follower, null);
        PartitionState back = awaitState("lonely", 0, PartitionState::isOnline);
        assertThat(back.leader()).isEqualTo(follower);
        assertThat(back.leaderEpoch()).isEqualTo(3);
    }

    @Test
    void shouldElectAnOutOfSyncReplicaOnlyWithUncleanLeaderElection() throws Exception {
        PartitionState initial = create("unclean", 1, 2).get(0);
        int leader = initial.leader();
        int follower = initial.isr().get(1);
        cluster.stopBroker(leader);
        awaitState("unclean", 0, s -> s.leader() == follower);
        cluster.stopBroker(follower);
        awaitState("unclean", 0, s -> !s.isOnline());
        cluster.startBroker(leader, null);
        Thread.sleep(300);
        assertThat(state("unclean", 0).isOnline()).isFalse();

        assertThat(patch(
                                any,
                                "/api/topics/unclean/configs",
                                Map.of("set", Map.of("unclean.leader.election.enable", "true")))
                        .status())
                .isEqualTo(200);

        PartitionState elected = awaitState("unclean", 0, PartitionState::isOnline);
        assertThat(elected.leader()).isEqualTo(leader);
        assertThat(elected.isr()).containsExactly(leader);
    }

    @Test
    void shouldRestorePreferredLeadersOnlyOnceTheReturningBrokerIsBackInTheIsr() throws Exception {
        create("preferred", 3, 3);
        int partition = partitionPreferring("preferred", 3, 1);
        cluster.stopBroker(1);
        awaitState(
                "preferred",
                partition,
                s -> s.isOnline() && s.leader() != 1 && !s.isr().contains(1));
        cluster.startBroker(1, null);

        // back, but out of the ISR: neither the explicit nor the automatic election may pick it
        JsonNode refused = post(
                        cluster.standbyInstance(),
                        "/api/elections/preferred",
                        Map.of("partitions", List.of(Map.of("topic", "preferred", "partition", partition))))
                .body();
        assertThat(refused.path("results").get(0).path("error").asString()).isEqualTo("PREFERRED_LEADER_NOT_AVAILABLE");
        Thread.sleep(2500);
        assertThat(state("preferred", partition).leader()).isNotEqualTo(1);

        // the leader broker adds it back to the ISR (a conditional write, as brokers do)
        addToIsr("preferred", partition, 1);
        PartitionState restored = awaitState("preferred", partition, s -> s.leader() == 1);
        assertThat(restored.isr()).contains(1);

        // explicit election: a partition already led by its preferred replica needs none
        JsonNode notNeeded = post(
                        any,
                        "/api/elections/preferred",
                        Map.of(
                                "partitions",
                                List.of(
                                        Map.of("topic", "preferred", "partition", partition),
                                        Map.of("topic", "nope", "partition", 0))))
                .body();
        assertThat(notNeeded.path("results").get(0).path("error").asString()).isEqualTo("ELECTION_NOT_NEEDED");
        assertThat(notNeeded.path("results").get(1).path("error").asString()).isEqualTo("UNKNOWN_TOPIC_OR_PARTITION");
    }

    @Test
    void shouldElectPreferredLeadersOnRequestThroughAnyInstance() throws Exception {
        create("explicit-election", 3, 2);
        int partition = partitionPreferring("explicit-election", 3, 2);
        PartitionState initial = state("explicit-election", partition);
        // move leadership away from the preferred replica by hand (as after a failover) and keep both in the ISR
        Stat stat = new Stat();
        cluster.admin.getData().storingStatIn(stat).forPath(ZkPaths.partitionState("explicit-election", partition));
        int other = initial.isr().stream().filter(b -> b != 2).findFirst().orElseThrow();
        PartitionState moved =
                new PartitionState(other, initial.leaderEpoch() + 1, initial.isr(), initial.controllerEpoch());
        cluster.admin
                .setData()
                .withVersion(stat.getVersion())
                .forPath(ZkPaths.partitionState("explicit-election", partition), ZkJson.toBytes(moved));

        JsonNode results = post(cluster.standbyInstance(), "/api/elections/preferred", null)
                .body();

        PartitionState now = state("explicit-election", partition);
        assertThat(now.leader()).isEqualTo(2);
        assertThat(now.leaderEpoch()).isGreaterThanOrEqualTo(moved.leaderEpoch() + 1);
        assertThat(results.path("results").toString()).contains("explicit-election");
    }

    private List<PartitionState> create(String topic, int partitions, int replicationFactor) throws Exception {
        MetadataCluster.Response created = post(
                any,
                "/api/topics",
                Map.of("name", topic, "partitions", partitions, "replicationFactor", replicationFactor));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(25))
                .until(
                        () -> states(topic, partitions),
                        s -> s.stream().allMatch(p -> p != null && p.isr().size() == replicationFactor));
    }

    private int partitionPreferring(String topic, int partitions, int broker) {
        JsonNode description = get(any, "/api/topics/" + topic).body();
        for (JsonNode partition : description.path("partitions")) {
            if (ints(partition.path("replicas")).get(0) == broker) {
                return partition.path("partition").asInt();
            }
        }
        throw new AssertionError("no partition of " + topic + " prefers broker " + broker + ": " + description);
    }

    private void addToIsr(String topic, int partition, int broker) throws Exception {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(25)).until(() -> {
            Stat stat = new Stat();
            PartitionState state = ZkJson.fromBytes(
                    cluster.admin.getData().storingStatIn(stat).forPath(ZkPaths.partitionState(topic, partition)),
                    PartitionState.class);
            List<Integer> isr = new ArrayList<>(state.isr());
            isr.add(broker);
            try {
                cluster.admin
                        .setData()
                        .withVersion(stat.getVersion())
                        .forPath(
                                ZkPaths.partitionState(topic, partition),
                                ZkJson.toBytes(new PartitionState(
                                        state.leader(), state.leaderEpoch(), isr, state.controllerEpoch())));
                return true;
            } catch (org.apache.zookeeper.KeeperException.BadVersionException e) {
                return false;
            }
        });
    }

    private PartitionState awaitState(String topic, int partition, java.util.function.Predicate<PartitionState> test) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(25)).until(() -> state(topic, partition), test);
    }

    private List<PartitionState> states(String topic, int partitions) throws Exception {
        List<PartitionState> states = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            states.add(
                    cluster.admin.checkExists().forPath(ZkPaths.partitionState(topic, p)) == null
                            ? null
                            : state(topic, p));
        }
        return states;
    }

    private PartitionState state(String topic, int partition) throws Exception {
        return ZkJson.fromBytes(
                cluster.admin.getData().forPath(ZkPaths.partitionState(topic, partition)), PartitionState.class);
    }

    private static long count(JsonNode partitions, String topic) {
        return Stream.iterate(0, i -> i < partitions.size(), i -> i + 1)
                .map(partitions::get)
                .filter(p -> p.path("topic").asString().equals(topic))
                .count();
    }
}
