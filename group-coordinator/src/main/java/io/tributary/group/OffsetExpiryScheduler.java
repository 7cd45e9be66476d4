package io.tributary.group;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the expiry tasks ({@code OffsetExpiration}, the pruning of the offset commit history)
 * every {@code tributary.group.offsets-retention-check-interval}, one after the other on one
 * thread; a task that fails is logged and tried again at the next interval.
 */
final class OffsetExpiryScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OffsetExpiryScheduler.class);

    private final List<Runnable> tasks;
    private final Duration interval;
    private ScheduledExecutorService executor;

    OffsetExpiryScheduler(Duration interval, Runnable... tasks) {
        this.tasks = List.of(tasks);
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
                () -> tasks.forEach(task -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.warn("Offset expiry failed, next try in {}: {}", interval, e.toString());
                    }
                }),
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
