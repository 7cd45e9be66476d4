package io.tributary.metadata.it;

import static io.tributary.metadata.it.MetadataCluster.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.common.zk.ControllerRecord;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import io.tributary.metadata.controller.ClusterController;
import io.tributary.metadata.store.ControllerEpoch;
import io.tributary.metadata.store.ControllerFencedException;
import io.tributary.metadata.store.PartitionStateStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

class ControllerElectionIT {

    private static final Logger log = LoggerFactory.getLogger(ControllerElectionIT.class);

    private MetadataCluster cluster;

    @BeforeEach
    void setUp() throws Exception {
        cluster = MetadataCluster.get();
        awaitOneController();
    }

    @AfterEach
    void tearDown() {
        cluster.stopAllBrokers();
    }

    @Test
    void shouldElectExactlyOneControllerAndShowItOnEveryInstance() throws Exception {
        ConfigurableApplicationContext controller = cluster.controllerInstance();
        ClusterController active = controller.getBean(ClusterController.class);
        ControllerRecord record =
                ZkJson.fromBytes(cluster.admin.getData().forPath(ZkPaths.CONTROLLER), ControllerRecord.class);

        assertThat(record.instanceId()).isEqualTo(active.instanceId());
        assertThat(record.controllerEpoch())
                .isEqualTo(active.activeEpoch().orElseThrow().epoch());
        assertThat(record.httpPort()).isEqualTo(MetadataCluster.port(controller));
        for (ConfigurableApplicationContext instance : cluster.instances) {
            MetadataCluster.Response cluster = get(instance, "/api/cluster");
            assertThat(cluster.status()).isEqualTo(200);
            assertThat(cluster.body().path("controller").path("instanceId").asString())
                    .isEqualTo(active.instanceId());
            assertThat(cluster.body().path("controllerEpoch").asInt()).isEqualTo(record.controllerEpoch());
            assertThat(cluster.body().path("isController").asBoolean()).isEqualTo(instance == controller);
            MetadataCluster.Response health = get(instance, "/actuator/health/controller");
            assertThat(health.body().path("status").asString()).isEqualTo("UP");
            assertThat(health.body().path("details").path("isController").asBoolean())
                    .isEqualTo(instance == controller);
            MetadataCluster.Response gauge = get(instance, "/actuator/metrics/tributary.controller.active");
            assertThat(gauge.body().path("measurements").get(0).path("value").asDouble())
                    .isEqualTo(instance == controller ? 1.0 : 0.0);
        }
    }

    @Test
    void shouldFailOverToTheStandbyWithAHigherEpochWhenTheControllerSessionDiesAndFenceTheOldEpoch() throws Exception {
        cluster.startBroker(1, null);
        assertThat(MetadataCluster.post(
                                cluster.instances.get(0),
                                "/api/topics",
                                Map.of("name", "fenced", "partitions", 1, "replicationFactor", 1))
                        .status())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> cluster.admin.checkExists().forPath(ZkPaths.partitionState("fenced", 0)) != null);
        ConfigurableApplicationContext old = cluster.controllerInstance();
        ConfigurableApplicationContext standby = cluster.standbyInstance();
        ControllerEpoch oldEpoch =
                old.getBean(ClusterController.class).activeEpoch().orElseThrow();

        // the controller's session expires under it; its client then reconnects with a new session
        // (a kill -9 of a whole process is ControllerProcessKillIT)
        long killedAt = System.nanoTime();
        old.getBean(CuratorFramework.class)
                .getZookeeperClient()
                .getZooKeeper()
                .getTestable()
                .injectSessionExpiration();
        await("stops acting")
                .atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> !old.getBean(ClusterController.class).isActive());
        await().atMost(MetadataCluster.SESSION_TIMEOUT.plusSeconds(6))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> standby.getBean(ClusterController.class).isActive());
        log.info("Controller failover after session expiry took {} ms", (System.nanoTime() - killedAt) / 1_000_000);

        ControllerEpoch newEpoch =
                standby.getBean(ClusterController.class).activeEpoch().orElseThrow();
        assertThat(newEpoch.epoch()).isGreaterThan(oldEpoch.epoch());
        ControllerRecord record =
                ZkJson.fromBytes(cluster.admin.getData().forPath(ZkPaths.CONTROLLER), ControllerRecord.class);
        assertThat(record.instanceId())
                .isEqualTo(standby.getBean(ClusterController.class).instanceId());
        assertThat(record.controllerEpoch()).isEqualTo(newEpoch.epoch());

        // the old controller, reconnected with a new session, cannot write with its old epoch
        int version = cluster.admin
                .checkExists()
                .forPath(ZkPaths.partitionState("fenced", 0))
                .getVersion();
        PartitionStateStore oldWriter = new PartitionStateStore(old.getBean(CuratorFramework.class));
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() ->
                        old.getBean(CuratorFramework.class).getZookeeperClient().isConnected());
        assertThatThrownBy(() -> oldWriter.update(
                        oldEpoch, "fenced", 0, new PartitionState(-1, 99, List.of(1), oldEpoch.epoch()), version))
                .isInstanceOf(ControllerFencedException.class);
        PartitionState state = ZkJson.fromBytes(
                cluster.admin.getData().forPath(ZkPaths.partitionState("fenced", 0)), PartitionState.class);
        assertThat(state.leaderEpoch()).isNotEqualTo(99);
        assertThat(old.getBean(ClusterController.class).isActive()).isFalse();
    }

    @Test
    void shouldHandOverAtOnceWhenTheControllerShutsDownGracefully() throws Exception {
        ConfigurableApplicationContext old = cluster.controllerInstance();
        ConfigurableApplicationContext standby = cluster.standbyInstance();
        int oldEpoch =
                old.getBean(ClusterController.class).activeEpoch().orElseThrow().epoch();

        long closedAt = System.nanoTime();
        old.close();
        cluster.instances.remove(old);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> standby.getBean(ClusterController.class).isActive());
        log.info("Controller hand-over after graceful shutdown took {} ms", (System.nanoTime() - closedAt) / 1_000_000);

        assertThat(standby.getBean(ClusterController.class)
                        .activeEpoch()
                        .orElseThrow()
                        .epoch())
                .isGreaterThan(oldEpoch);
        cluster.instances.add(cluster.startInstance());
    }

    @Test
    void shouldStopActingAtOnceWhenItSeesAHigherControllerEpoch() throws Exception {
        ConfigurableApplicationContext controller = cluster.controllerInstance();
        int epoch = controller
                .getBean(ClusterController.class)
                .activeEpoch()
                .orElseThrow()
                .epoch();
        int forged = epoch + 5;

        // an impostor claims a newer epoch the way a controller does: epoch and record together
        org.apache.zookeeper.data.Stat stat = cluster.admin.checkExists().forPath(ZkPaths.CONTROLLER);
        cluster.admin
                .transaction()
                .forOperations(
                        cluster.admin
                                .transactionOp()
                                .setData()
                                .forPath(ZkPaths.CONTROLLER_EPOCH, ZkJson.toBytes(forged)),
                        cluster.admin
                                .transactionOp()
                                .delete()
                                .withVersion(stat.getVersion())
                                .forPath(ZkPaths.CONTROLLER),
                        cluster.admin
                                .transactionOp()
                                .create()
                                .withMode(org.apache.zookeeper.CreateMode.EPHEMERAL)
                                .forPath(
                                        ZkPaths.CONTROLLER,
                                        ZkJson.toBytes(new ControllerRecord("impostor", forged, "nowhere", 1))));

        await("stops acting")
                .atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> !controller.getBean(ClusterController.class).isActive());
        // it resigned the latch, so an instance is elected again, above the impostor's epoch
        awaitOneController();
        assertThat(cluster.controllerInstance()
                        .getBean(ClusterController.class)
                        .activeEpoch()
                        .orElseThrow()
                        .epoch())
                .isGreaterThan(forged);
    }

    private void awaitOneController() {
        await().atMost(MetadataCluster.SESSION_TIMEOUT.plusSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> cluster.instances.stream()
                                .filter(c -> c.getBean(ClusterController.class).isActive())
                                .count()
                        == 1);
    }
}
