package io.tributary.metadata.controller;

import io.tributary.common.zk.ZkPaths;
import java.io.Closeable;
import java.io.IOException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Controller election among metadata-service instances, a small lifecycle over Curator's
 * {@link LeaderLatch} on {@code /controller_election}. Exactly one participant holds the latch
 * at a time. Leadership is lost at once, before Curator's latch notices, when the ZooKeeper
 * connection is {@code SUSPENDED} or {@code LOST}: from then on another instance may be
 * elected, so this one must stop acting. After a reconnect the latch re-enters the election by
 * itself. {@link #resign} gives leadership up and re-enters as a standby.
 *
 * <p>Thread-safe. The listener is called on Curator's threads (for latch changes, while Curator
 * holds the latch's monitor) and must not block.
 */
public final class ControllerElection implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(ControllerElection.class);

    /** Told when this instance becomes controller and when it stops being controller. */
    public interface Listener {

        void elected();

        /** Idempotent: may be called several times for one loss. */
        void deposed(String reason);
    }

    private final CuratorFramework curator;
    private final String participantId;
    private final Listener listener;
    private final ConnectionStateListener connectionListener = this::onConnectionStateChanged;
    // volatile, not guarded by this: Curator calls the latch listener while holding the latch's
    // monitor, and close() takes that monitor, so the callback must never wait for ours
    private volatile LeaderLatch latch;
    private volatile boolean closed;

    public ControllerElection(CuratorFramework curator, String participantId, Listener listener) {
        this.curator = curator;
        this.participantId = participantId;
        this.listener = listener;
    }

    public synchronized void start() throws Exception {
        curator.getConnectionStateListenable().addListener(connectionListener);
        startLatch();
    }

    /** True while this participant holds the latch and its connection is good. */
    public boolean hasLeadership() {
        LeaderLatch current = latch;
        return !closed
                && current != null
                && current.hasLeadership()
                && curator.getZookeeperClient().isConnected();
    }

    /** Gives leadership up (if held) and takes part again as a standby. */
    public synchronized void resign(String reason) {
        listener.deposed(reason);
        if (closed) {
            return;
        }
        log.warn("Controller {} resigns: {}", participantId, reason);
        closeLatch();
        try {
            startLatch();
        } catch (Exception e) {
            log.error("Controller {} could not re-enter the election", participantId, e);
        }
    }

    private void startLatch() throws Exception {
        LeaderLatch current = new LeaderLatch(curator, ZkPaths.CONTROLLER_ELECTION, participantId);
        current.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                if (isCurrent(current)) {
                    log.info("Controller election: {} holds the latch", participantId);
                    listener.elected();
                }
            }

            @Override
            public void notLeader() {
                listener.deposed("lost the controller latch");
            }
        });
        latch = current;
        current.start();
    }

    private boolean isCurrent(LeaderLatch candidate) {
        return !closed && latch == candidate;
    }

    private void onConnectionStateChanged(CuratorFramework client, ConnectionState state) {
        if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
            listener.deposed("ZooKeeper connection " + state);
        }
    }

    private void closeLatch() {
        if (latch == null) {
            return;
        }
        try {
            latch.close(LeaderLatch.CloseMode.SILENT);
        } catch (IOException | IllegalStateException e) {
            log.debug("Closing the controller latch of {} failed", participantId, e);
        }
        latch = null;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        curator.getConnectionStateListenable().removeListener(connectionListener);
        listener.deposed("shutting down");
        closeLatch();
    }
}
