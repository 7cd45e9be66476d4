package io.tributary.curator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Curator client on a real ZooKeeper left in the state a lost race after a session expiry
 * leaves it in (see {@link CuratorSessionWatchdog}): Curator believes it is disconnected while its
 * ZooKeeper handle holds a live session, and no event will tell it otherwise. The race itself
 * needs a thread descheduled at one exact point; the state is made here the way the race ends, by
 * a last event of the handle other than "connected" (ZooKeeper's own test hook queues it), which
 * Curator takes for a disconnection.
 */
class CuratorSessionWatchdogIT {

    private static final Duration SESSION = Duration.ofSeconds(2);

    private static TestingServer zookeeper;

    @BeforeAll
    static void startZookeeper() throws Exception {
        zookeeper = new TestingServer(true);
    }

    @AfterAll
    static void stopZookeeper() throws Exception {
        zookeeper.close();
    }

    @Test
    void aClientThatBelievesItselfDisconnectedOnALiveSessionGetsANewSession() throws Exception {
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        try (CuratorFramework curator = CuratorFrameworkFactory.builder()
                        .connectString(zookeeper.getConnectString())
                        .sessionTimeoutMs((int) SESSION.toMillis())
                        .connectionTimeoutMs(1000)
                        .retryPolicy(new ExponentialBackoffRetry(50, 10, 500))
                        .build();
                CuratorSessionWatchdog watchdog = new CuratorSessionWatchdog(curator, SESSION)) {
            curator.getConnectionStateListenable().addListener((client, state) -> states.add(state));
            curator.start();
            assertThat(curator.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
            ZooKeeper handle = curator.getZookeeperClient().getZooKeeper();

            handle.getTestable()
                    .queueEvent(new WatchedEvent(Watcher.Event.EventType.None, Watcher.Event.KeeperState.Closed, null));
            await().atMost(Duration.ofSeconds(5))
                    .during(Duration.ofMillis(500))
                    .until(() -> handle.getState().isConnected()
                            && !curator.getZookeeperClient().isConnected());

            // twice the session timeout later, a new handle and session, which Curator sees
            await().atMost(SESSION.multipliedBy(2).plusSeconds(10))
                    .until(() -> curator.getZookeeperClient().isConnected());
            assertThat(curator.getZookeeperClient().getZooKeeper()).isNotSameAs(handle);
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(states).endsWith(ConnectionState.RECONNECTED));
            assertThat(curator.create().forPath("/written-in-the-new-session"))
                    .isEqualTo("/written-in-the-new-session");
        }
    }
}
