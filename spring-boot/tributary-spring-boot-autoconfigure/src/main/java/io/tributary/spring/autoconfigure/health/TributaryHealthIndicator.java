package io.tributary.spring.autoconfigure.health;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    private final Duration interval;
    private final AtomicReference<Health> last = new AtomicReference<>(
            Health.outOfService().withDetail("reason", "not checked yet").build());
    private volatile ScheduledExecutorService executor;

    TributaryHealthIndicator(ClusterHealthCheck check, Duration interval) {
        this.check = check;
        this.interval = interval;
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
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-health");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        executor = started;
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (running != null) {
            running.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
