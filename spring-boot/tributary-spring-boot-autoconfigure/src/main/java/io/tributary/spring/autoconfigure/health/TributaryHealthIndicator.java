package io.tributary.spring.autoconfigure.health;

import io.tributary.spring.autoconfigure.BackgroundRefresh;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;

/**
 * The {@code tributary} health contributor: whether the cluster is usable for this application
 * (see {@link ClusterHealthCheck}). A probe never waits on the cluster: {@link #health} returns
 * the last result, which a daemon thread refreshes every {@code tributary.health.interval}.
 * Until the first check completes it reports OUT_OF_SERVICE, so readiness is never UP unchecked.
 * Thread-safe.
 */
public class TributaryHealthIndicator implements HealthIndicator, SmartLifecycle {

    private final ClusterHealthCheck check;
    private final AtomicReference<Health> last = new AtomicReference<>(
            Health.outOfService().withDetail("reason", "not checked yet").build());
    private final BackgroundRefresh refresher;

    TributaryHealthIndicator(ClusterHealthCheck check, Duration interval) {
        this.check = check;
        this.refresher = new BackgroundRefresh("tributary-health", interval, this::refresh);
    }

    @Override
    public Health health() {
        return last.get();
    }

    /** Runs one check now, on the caller's thread, and caches it. */
    public Health refresh() {
        Health health = check.check();
        last.set(health);
        return health;
    }

    @Override
    public void start() {
        refresher.start();
    }

    @Override
    public void stop() {
        refresher.stop();
    }

    @Override
    public boolean isRunning() {
        return refresher.isRunning();
    }
}
