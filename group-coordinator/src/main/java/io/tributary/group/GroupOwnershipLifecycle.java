package io.tributary.group;

import io.tributary.group.ownership.GroupOwnership;
import io.tributary.group.server.GroupProtocolServer;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;

/**
 * Starts {@link GroupOwnership} once both listeners are bound (it advertises their ports in the
 * ownership znodes) and stops it first on shutdown, so that this instance releases its group
 * partitions while its Kafka listener still answers NOT_COORDINATOR.
 */
final class GroupOwnershipLifecycle implements SmartLifecycle {

    /** How long a start waits for its first claims, so that a lone instance serves when it is ready. */
    private static final long CLAIM_WAIT_MS = 10_000;

    private final GroupOwnership ownership;
    private final GroupProtocolServer server;
    private final Environment environment;
    private volatile boolean running;

    GroupOwnershipLifecycle(GroupOwnership ownership, GroupProtocolServer server, Environment environment) {
        this.ownership = ownership;
        this.server = server;
        this.environment = environment;
    }

    @Override
    public void start() {
        String host = environment.getProperty("spring.cloud.zookeeper.discovery.instance-host", "localhost");
        int httpPort = environment.getProperty("local.server.port", Integer.class, -1);
        ownership.start(host, server.port(), httpPort, CLAIM_WAIT_MS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        ownership.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the web server (its port is known then), before it on shutdown. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
