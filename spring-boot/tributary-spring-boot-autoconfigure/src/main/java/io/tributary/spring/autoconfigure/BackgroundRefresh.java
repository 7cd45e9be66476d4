package io.tributary.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.ThreadUtils;

/**
 * Runs one task at once and then every interval on a daemon thread of its own, between
 * {@link #start} and {@link #stop}: what keeps a cached view of the cluster fresh (the health
 * contributor, the consumer lag), so that a probe or a scrape never waits on the cluster.
 * Thread-safe.
 */
public final class BackgroundRefresh {

    private final String threadName;
    private final Duration interval;
    private final Runnable task;
    private volatile ScheduledExecutorService executor;

    public BackgroundRefresh(String threadName, Duration interval, Runnable task) {
        this.threadName = threadName;
        this.interval = interval;
        this.task = task;
    }

    public synchronized void start() {
        if (executor != null) {
            return;
        }
        ScheduledExecutorService started =
                Executors.newSingleThreadScheduledExecutor(ThreadUtils.createThreadFactory(threadName, true));
        started.scheduleWithFixedDelay(task, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        executor = started;
    }

    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (running != null) {
            running.shutdownNow();
        }
    }

    public boolean isRunning() {
        return executor != null;
    }
}
