package io.tributary.common.spring;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of this service's ZooKeeper session, from Curator's connection-state events rather
 * than a probing read: a probe goes through the retry policy and would hang the health endpoint
 * while ZooKeeper is away. DOWN as soon as the connection is suspended or the session lost,
 * UP again once (re)connected. Thread-safe.
 */
public class ZookeeperSessionHealthIndicator extends AbstractHealthIndicator {

    private final CuratorFramework curator;
    private final AtomicReference<ConnectionState> state = new AtomicReference<>();

    public ZookeeperSessionHealthIndicator(CuratorFramework curator) {
        super("ZooKeeper health check failed");
        this.curator = curator;
        if (curator.getZookeeperClient().isConnected()) {
            state.set(ConnectionState.CONNECTED);
        }
        curator.getConnectionStateListenable().addListener((client, newState) -> state.set(newState));
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ConnectionState current = state.get();
        builder.withDetail("connectString", curator.getZookeeperClient().getCurrentConnectionString())
                .withDetail("namespace", curator.getNamespace())
                .withDetail("connectionState", current == null ? "NEVER_CONNECTED" : current.name());
        if (current != null && current.isConnected()) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
