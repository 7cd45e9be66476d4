package io.tributary.zookeeper.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooKeeperConfigTest {

    private static final String ENSEMBLE =
            "server.1=zk1:2888:3888;2181 server.2=zk2:2888:3888;2181,server.3=zk3:2888:3888;2181";

    @Test
    void shouldRunStandaloneWithDefaultsWhenNoServersAreGiven() {
        ZooKeeperConfig config = ZooKeeperConfig.fromEnvironment(Map.of());

        assertThat(config.myId()).isEqualTo(1);
        assertThat(config.properties())
                .containsEntry("clientPort", "2181")
                .containsEntry("dataDir", "/var/lib/tributary/zookeeper")
                .containsEntry("4lw.commands.whitelist", "ruok,srvr,stat,mntr,conf")
                .doesNotContainKey("server.1");
    }

    @Test
    void shouldJoinTheEnsembleAsZooMyId() {
        ZooKeeperConfig config = ZooKeeperConfig.fromEnvironment(Map.of("ZOO_SERVERS", ENSEMBLE, "ZOO_MY_ID", "2"));

        assertThat(config.myId()).isEqualTo(2);
        assertThat(config.properties())
                .containsEntry("server.1", "zk1:2888:3888;2181")
                .containsEntry("server.3", "zk3:2888:3888;2181")
                .containsEntry("quorumListenOnAllIPs", "true");
        assertThat(config.render()).contains("\nserver.2=zk2:2888:3888;2181\n");
    }

    @Test
    void shouldTakeItsClientPortFromItsOwnServerEntry() {
        String local = "server.1=127.0.0.1:2888:3888;2181 server.2=127.0.0.1:2889:3889;2182";

        ZooKeeperConfig config = ZooKeeperConfig.fromEnvironment(Map.of("ZOO_SERVERS", local, "ZOO_MY_ID", "2"));

        assertThat(config.properties()).containsEntry("clientPort", "2182");
    }

    @Test
    void shouldDeriveMyIdFromTheStatefulSetOrdinal() {
        ZooKeeperConfig config =
                ZooKeeperConfig.fromEnvironment(Map.of("ZOO_SERVERS", ENSEMBLE, "HOSTNAME", "tributary-zookeeper-2"));

        assertThat(config.myId()).isEqualTo(3);
    }

    @Test
    void shouldFailByNameOnBadInput() {
        assertThatThrownBy(() -> ZooKeeperConfig.fromEnvironment(Map.of("ZOO_SERVERS", ENSEMBLE)))
                .hasMessageStartingWith("ZOO_MY_ID is required");
        assertThatThrownBy(() -> ZooKeeperConfig.fromEnvironment(Map.of("ZOO_SERVERS", ENSEMBLE, "ZOO_MY_ID", "4")))
                .hasMessageStartingWith("ZOO_MY_ID: 4 is not one of the servers");
        assertThatThrownBy(() -> ZooKeeperConfig.fromEnvironment(Map.of("ZOO_TICK_TIME", "2s")))
                .hasMessage("ZOO_TICK_TIME must be a whole number, not '2s'");
        assertThatThrownBy(() -> ZooKeeperConfig.fromEnvironment(Map.of("ZOO_SERVERS", "zk1:2888", "ZOO_MY_ID", "1")))
                .hasMessageStartingWith("ZOO_SERVERS: 'zk1:2888' is not");
    }

    @Test
    void shouldAppendExtraSettings() {
        ZooKeeperConfig config =
                ZooKeeperConfig.fromEnvironment(Map.of("ZOO_CFG_EXTRA", "metricsProvider.exportJvmInfo=false  a=b"));

        assertThat(config.properties())
                .containsEntry("metricsProvider.exportJvmInfo", "false")
                .containsEntry("a", "b");
    }

    @Test
    void shouldWriteZooCfgAndMyId(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        ZooKeeperConfig config = ZooKeeperConfig.fromEnvironment(
                Map.of("ZOO_SERVERS", ENSEMBLE, "ZOO_MY_ID", "3", "ZOO_DATA_DIR", data.toString()));

        Path cfg = ZooKeeperEntrypoint.writeConfig(config, dir.resolve("conf"));

        assertThat(Files.readString(data.resolve("myid"))).isEqualTo("3\n");
        assertThat(Files.readString(cfg)).contains("dataDir=" + data + "\n").contains("server.3=zk3:2888:3888;2181\n");
    }
}
