package io.tributary.group;

import io.tributary.group.coordinator.OffsetExpiration;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Runs {@link OffsetExpiration} every {@code tributary.group.offsets-retention-check-interval}. */
final class OffsetExpiryScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OffsetExpiryScheduler.class);

    private final OffsetExpiration expiration;
    private final Duration interval;
    private ScheduledExecutorService executor;

    OffsetExpiryScheduler(OffsetExpiration expiration, Duration interval) {
        this.expiration = expiration;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "group-offset-expiry");
            thread.setDaemon(true);
            return thread;
        });
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        expiration.run();
                    } catch (RuntimeException e) {
                        log.warn("Offset expiry failed, next try in {}: {}", interval, e.toString());
                    }
                },
                ms,
                ms,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
