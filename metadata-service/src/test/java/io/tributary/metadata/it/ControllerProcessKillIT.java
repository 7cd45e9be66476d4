package io.tributary.metadata.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.common.zk.ControllerRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import io.tributary.metadata.MetadataServiceApplication;
import io.tributary.metadata.controller.ClusterController;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The failover the issue asks for, for real: the controller is the packaged service in its own
 * JVM, killed with SIGKILL (no latch release, no goodbye to ZooKeeper); a standby takes over
 * once ZooKeeper expires the dead session. Logs the measured failover time.
 */
class ControllerProcessKillIT {

    private static final Logger log = LoggerFactory.getLogger(ControllerProcessKillIT.class);

    @Test
    void shouldMakeTheStandbyControllerWithinTheSessionTimeoutWhenTheControllerProcessIsKilled() throws Exception {
        Path jar = packagedJar();
        try (TestingServer zookeeper = new TestingServer(true);
                CuratorFramework admin = CuratorFrameworkFactory.builder()
                        .connectString(zookeeper.getConnectString())
                        .namespace("tributary")
                        .retryPolicy(new RetryOneTime(100))
                        .build()) {
            admin.start();
            Path logFile = jar.getParent().resolve("controller-process-kill-it.log");
            Process controller = new ProcessBuilder(
                            javaExecutable(),
                            "-Xmx192m",
                            "-XX:TieredStopAtLevel=1",
                            "-jar",
                            jar.toString(),
                            "--server.port=0",
                            "--tributary.zookeeper.connect=" + zookeeper.getConnectString(),
                            "--tributary.zookeeper.session-timeout=" + MetadataCluster.SESSION_TIMEOUT.toMillis()
                                    + "ms",
                            "--tributary.metadata.instance-id=external")
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            ConfigurableApplicationContext standby = null;
            try {
                await("external controller elected")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> controllerId(admin).equals("external"));
                standby = new SpringApplicationBuilder(MetadataServiceApplication.class)
                        .run(
                                "--server.port=0",
                                "--tributary.zookeeper.connect=" + zookeeper.getConnectString(),
                                "--tributary.zookeeper.session-timeout=" + MetadataCluster.SESSION_TIMEOUT.toMillis()
                                        + "ms",
                                "--tributary.metadata.instance-id=standby",
                                "--spring.main.banner-mode=off");
                ClusterController standbyController = standby.getBean(ClusterController.class);
                assertThat(standbyController.isActive()).isFalse();

                long killedAt = System.nanoTime();
                controller.destroyForcibly(); // SIGKILL
                ConfigurableApplicationContext survivor = standby;
                await("standby takes over")
                        .atMost(MetadataCluster.SESSION_TIMEOUT.plusSeconds(5))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> MetadataCluster.get(survivor, "/api/cluster")
                                .body()
                                .path("controller")
                                .path("instanceId")
                                .asString("")
                                .equals("standby"));
                long failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
                log.info(
                        "FAILOVER: standby was controller {} ms after kill -9 of the controller process "
                                + "(ZooKeeper session timeout {} ms)",
                        failoverMillis,
                        MetadataCluster.SESSION_TIMEOUT.toMillis());
                assertThat(standbyController.activeEpoch().orElseThrow().epoch())
                        .isEqualTo(2);
            } finally {
                controller.destroyForcibly();
                if (standby != null) {
                    standby.close();
                }
            }
        }
    }

    private static String controllerId(CuratorFramework admin) {
        try {
            return ZkJson.fromBytes(admin.getData().forPath(ZkPaths.CONTROLLER), ControllerRecord.class)
                    .instanceId();
        } catch (Exception e) {
            return "";
        }
    }

    private static Path packagedJar() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("metadata-service-.*-exec\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
                    .toList();
            assertThat(jars)
                    .as("the packaged service jar (failsafe runs after package)")
                    .hasSize(1);
            return jars.get(0).toAbsolutePath();
        }
    }

    private static String javaExecutable() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
