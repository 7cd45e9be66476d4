package io.tributary.curator;

import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.shaded.com.google.common.util.concurrent.ThreadFactoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a Curator client a new ZooKeeper session when Curator has stopped getting one itself.
 *
 * <p>When a session expires (a real expiry, or the one Curator injects once the connection has
 * been suspended for a session timeout), Curator opens a new ZooKeeper handle from the old
 * handle's event thread and only then marks itself disconnected ({@code ConnectionState.process},
 * Curator 5.9). If the new handle connects first, which a loaded machine allows (the old event
 * thread is descheduled for the few milliseconds the new session takes), that "disconnected"
 * overwrites the new handle's "connected": the handle holds a live session, Curator believes it
 * has none, reports LOST, fails every operation with ConnectionLoss after its connection
 * time-out, and never opens another handle, as no event comes any more. A group-coordinator in
 * that state serves no group until it is restarted; a broker or the metadata-service loses its
 * registration the same way.
 *
 * <p>This watchdog looks at the client once a second. Once it has been disconnected for twice the
 * session timeout, it resets it: a new handle, a new session, and the state listeners see LOST
 * then RECONNECTED, as after any expiry. By then the server has expired whatever session the
 * client had, and Curator's own recovery (at one session timeout) has had its turn, so a reset
 * loses nothing; during a real ZooKeeper outage it only swaps a handle that cannot connect for
 * another.
 *
 * <p>Every service watches its client with one (auto-configured in {@code tributary-common}), and
 * so does the client starter's ZooKeeper broker discovery; this module depends on Curator only,
 * so that the starter can use it without bringing the services' library.
 *
 * <p>One daemon thread, {@code zookeeper-session-watchdog}; {@link #close} stops it.
 */
public final class CuratorSessionWatchdog implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(CuratorSessionWatchdog.class);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private final CuratorFramework curator;
    private final Duration resetAfter;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(new ThreadFactoryBuilder()
            .setNameFormat("zookeeper-session-watchdog")
            .setDaemon(true)
            .build());

    // on the timer thread only
    private long disconnectedSinceNanos = -1;
    private int resets;

    /** Starts watching {@code curator}, a client with the session timeout {@code sessionTimeout}. */
    public CuratorSessionWatchdog(CuratorFramework curator, Duration sessionTimeout) {
        this.curator = curator;
        this.resetAfter = sessionTimeout.multipliedBy(2);
        timer.scheduleWithFixedDelay(
                this::check, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            if (curator.getState() != CuratorFrameworkState.STARTED) {
                return;
            }
            long now = System.nanoTime();
            if (curator.getZookeeperClient().isConnected()) {
                if (resets > 0) {
                    log.info("ZooKeeper: connected again, after {} new session(s)", resets);
                }
                disconnectedSinceNanos = -1;
                resets = 0;
            } else if (disconnectedSinceNanos < 0) {
                disconnectedSinceNanos = now;
            } else if (now - disconnectedSinceNanos >= resetAfter.toNanos()) {
                reset();
                disconnectedSinceNanos = now; // the new handle gets its own time to connect
            }
        } catch (RuntimeException e) {
            log.warn("ZooKeeper session watchdog: check failed: {}", e.toString());
        }
    }

    private void reset() {
        resets++;
        // once per outage: the resets of a long ZooKeeper outage are not news
        if (resets == 1) {
            log.warn(
                    "ZooKeeper {}: disconnected for {} s (twice the session timeout) and Curator is not reconnecting: "
                            + "opening a new session",
                    curator.getZookeeperClient().getCurrentConnectionString(),
                    resetAfter.toSeconds());
        } else {
            log.debug("ZooKeeper: still disconnected, opening new session #{}", resets);
        }
        try {
            curator.getZookeeperClient().reset();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("ZooKeeper: opening a new session failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
