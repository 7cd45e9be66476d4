package io.tributary.broker.cluster;

import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns this broker's ephemeral {@code /brokers/ids/{id}} znode: the cluster's sign that the
 * broker is alive. {@link #register} refuses to start the broker when a live broker holds the
 * id; after a ZooKeeper session is lost and a new one established the znode is created again.
 * {@link #reportOffline} rewrites it to name the log directories that went offline and their
 * replicas, which is how the controller learns to move leadership away from them.
 * Thread-safe: Curator calls the listener on its own event thread; changes of the registration
 * are serialised on this object.
 */
public class BrokerRegistrar implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerRegistrar.class);

    private final CuratorFramework curator;
    private final Clock clock;
    private final ConnectionStateListener reRegistration = this::onConnectionStateChanged;
    private volatile BrokerRegistration registration;
    /** The last offline report, kept for a registration that comes after it. */
    private List<String> offlineDirs = List.of();

    private Map<String, List<Integer>> offlineReplicas = Map.of();

    public BrokerRegistrar(CuratorFramework curator, Clock clock) {
        this.curator = curator;
        this.clock = clock;
    }

    /**
     * Creates the ephemeral registration, waiting up to {@code previousHolderWait} for an earlier
     * holder of the id (a broker killed moments ago) to expire.
     *
     * @throws BrokerIdInUseException when another live session still holds the id
     */
    public synchronized void register(BrokerRegistration broker, Duration previousHolderWait) throws Exception {
        if (!offlineDirs.isEmpty()) {
            // a directory went offline before the broker registered: say so from the start
            broker = broker.withOffline(offlineDirs, offlineReplicas);
        }
        String path = ZkPaths.broker(broker.id());
        long deadline = clock.millis() + previousHolderWait.toMillis();
        while (true) {
            try {
                createEphemeral(path, broker);
                break;
            } catch (KeeperException.NodeExistsException e) {
                if (!awaitDeletion(path, deadline)) {
                    throw new BrokerIdInUseException(broker.id(), path, holderOf(path));
                }
            }
        }
        registration = broker;
        curator.getConnectionStateListenable().addListener(reRegistration);
        log.info(
                "Registered broker {} at {} (kafka {}:{}, http port {})",
                broker.id(),
                path,
                broker.host(),
                broker.kafkaPort(),
                broker.httpPort());
    }

    /**
     * Rewrites the registration to name {@code dirs} offline with {@code replicas} (by topic) in
     * them. Before {@link #register} the report is kept and registered with the broker.
     */
    public synchronized void reportOffline(List<String> dirs, Map<String, List<Integer>> replicas) {
        BrokerRegistration broker = registration;
        offlineDirs = List.copyOf(dirs);
        offlineReplicas = Map.copyOf(replicas);
        if (broker == null) {
            return;
        }
        registration = broker.withOffline(dirs, replicas);
        try {
            curator.setData().forPath(ZkPaths.broker(broker.id()), ZkJson.toBytes(registration));
        } catch (Exception e) {
            // written again with the registration when the connection comes back
            log.error("Could not report offline log directories {} of broker {}", dirs, broker.id(), e);
        }
    }

    private void createEphemeral(String path, BrokerRegistration broker) throws Exception {
        curator.create()
                .creatingParentContainersIfNeeded()
                .withMode(CreateMode.EPHEMERAL)
                .forPath(path, ZkJson.toBytes(broker));
    }

    /** Waits for the znode to go away; false when it is still there at the deadline. */
    private boolean awaitDeletion(String path, long deadline) throws Exception {
        long remaining = deadline - clock.millis();
        if (remaining <= 0) {
            return false;
        }
        CountDownLatch deleted = new CountDownLatch(1);
        Stat stat = curator.checkExists()
                .usingWatcher((org.apache.zookeeper.Watcher) event -> deleted.countDown())
                .forPath(path);
        if (stat == null) {
            return true;
        }
        log.info(
                "Broker id znode {} is held by session 0x{}; waiting up to {} ms for it to expire",
                path,
                Long.toHexString(stat.getEphemeralOwner()),
                remaining);
        return deleted.await(remaining, TimeUnit.MILLISECONDS);
    }

    private String holderOf(String path) {
        try {
            return new String(curator.getData().forPath(path), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "holder unknown: " + e.getMessage();
        }
    }

    private synchronized void onConnectionStateChanged(CuratorFramework client, ConnectionState state) {
        BrokerRegistration broker = registration;
        if (state != ConnectionState.RECONNECTED || broker == null) {
            return;
        }
        String path = ZkPaths.broker(broker.id());
        try {
            Stat stat = client.checkExists().forPath(path);
            long session = client.getZookeeperClient().getZooKeeper().getSessionId();
            if (stat == null) {
                createEphemeral(path, broker);
                log.info(
                        "Re-registered broker {} at {} after the ZooKeeper session was re-established",
                        broker.id(),
                        path);
            } else if (stat.getEphemeralOwner() == session) {
                // the session survived: an offline report made while disconnected may be missing
                client.setData().forPath(path, ZkJson.toBytes(broker));
            } else if (stat.getEphemeralOwner() != session) {
                log.error(
                        "Broker id {} was taken by another session (0x{}) while this broker was disconnected",
                        broker.id(),
                        Long.toHexString(stat.getEphemeralOwner()));
            }
        } catch (Exception e) {
            log.error("Could not re-register broker {} at {}", broker.id(), path, e);
        }
    }

    /** Removes the registration so the cluster notices this broker leaving at once. */
    @Override
    public void close() {
        BrokerRegistration broker = registration;
        if (broker == null) {
            return;
        }
        registration = null;
        curator.getConnectionStateListenable().removeListener(reRegistration);
        if (!curator.getZookeeperClient().isConnected()) {
            log.info(
                    "Broker {} leaves while ZooKeeper is unreachable; its znode goes when the session expires",
                    broker.id());
            return;
        }
        try {
            curator.delete().guaranteed().forPath(ZkPaths.broker(broker.id()));
            log.info("Deregistered broker {}", broker.id());
        } catch (KeeperException.NoNodeException e) {
            // already gone with the session: nothing to do
        } catch (Exception e) {
            log.warn("Could not deregister broker {}; its znode goes when the session expires", broker.id(), e);
        }
    }
}
