package io.tributary.metadata.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.zk.ControllerRecord;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fenced compare-and-set writes of partition state, against a real ZooKeeper. */
class PartitionStateStoreIT {

    private static TestingServer zookeeper;
    private static CuratorFramework curator;

    private final PartitionStateStore states = new PartitionStateStore(curator);
    private final ControllerEpochStore epochs = new ControllerEpochStore(curator);

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = new TestingServer(true);
        curator = CuratorFrameworkFactory.builder()
                .connectString(zookeeper.getConnectString())
                .namespace("tributary")
                .retryPolicy(new RetryOneTime(100))
                .build();
        curator.start();
        curator.blockUntilConnected();
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        curator.close();
        zookeeper.close();
    }

    @Test
    void shouldIncrementTheEpochAndWriteTheControllerRecordTogether() throws Exception {
        ControllerEpoch first = epochs.claim(e -> new ControllerRecord("a", e, "localhost", 1));
        ControllerEpoch second = epochs.claim(e -> new ControllerRecord("b", e, "localhost", 2));

        assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
        assertThat(second.zkVersion()).isEqualTo(first.zkVersion() + 1);
        ControllerRecord record =
                ZkJson.fromBytes(curator.getData().forPath(ZkPaths.CONTROLLER), ControllerRecord.class);
        assertThat(record).isEqualTo(new ControllerRecord("b", second.epoch(), "localhost", 2));
        assertThat(new MetadataStore(curator).controllerEpoch()).isEqualTo(second.epoch());
    }

    @Test
    void shouldRefuseStaleVersionsExistingStatesDeletedTopicsAndSupersededEpochs() throws Exception {
        curator.create().creatingParentsIfNeeded().forPath(ZkPaths.partition("cas", 0));
        ControllerEpoch epoch = epochs.claim(e -> new ControllerRecord("a", e, "localhost", 1));
        PartitionState state = new PartitionState(1, 0, List.of(1, 2), epoch.epoch());

        Versioned<PartitionState> created = states.create(epoch, "cas", 0, state);
        assertThat(created.version()).isZero();
        assertThatThrownBy(() -> states.create(epoch, "cas", 0, state)).isInstanceOf(StateConflictException.class);
        Versioned<PartitionState> updated =
                states.update(epoch, "cas", 0, new PartitionState(2, 1, List.of(2), epoch.epoch()), 0);
        assertThat(updated.version()).isEqualTo(1);
        // a leader broker's ISR change got in first: the controller's write on version 0 must fail
        assertThatThrownBy(() -> states.update(epoch, "cas", 0, state, 0)).isInstanceOf(StateConflictException.class);
        assertThatThrownBy(() -> states.create(epoch, "gone", 0, state)).isInstanceOf(TopicGoneException.class);

        epochs.claim(e -> new ControllerRecord("b", e, "localhost", 2));
        assertThatThrownBy(() -> states.update(epoch, "cas", 0, state, 1))
                .isInstanceOf(ControllerFencedException.class);
        assertThat(new MetadataStore(curator).partitionState("cas", 0).orElseThrow())
                .isEqualTo(new Versioned<>(new PartitionState(2, 1, List.of(2), epoch.epoch()), 1));
    }
}
