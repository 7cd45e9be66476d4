package io.tributary.group;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.ThreadUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs background tasks every interval, one after the other on one daemon thread named after
 * them, from the context's start to its stop: the expiry tasks ({@code OffsetExpiration}, the
 * pruning of the offset commit history) every {@code tributary.group.offsets-retention-check-interval},
 * the store's keep-alive query every {@code tributary.group.store-keepalive-interval}. A task that
 * fails is logged and tried again at the next interval.
 */
final class PeriodicTasks implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTasks.class);

    private final String name;
    private final List<Runnable> tasks;
    private final Duration interval;
    private ScheduledExecutorService executor;

    /** @param name the thread's name and what the log calls the tasks */
    PeriodicTasks(String name, Duration interval, Runnable... tasks) {
        this.name = name;
        this.tasks = List.of(tasks);
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(ThreadUtils.createThreadFactory(name, true));
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(
                () -> tasks.forEach(task -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.warn("{} failed, next try in {}: {}", name, interval, e.toString());
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
