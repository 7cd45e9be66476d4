package io.tributary.group.membership;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.ThreadUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GroupTimer} on one daemon thread of a {@link ScheduledThreadPoolExecutor}, on the
 * wall clock (group state timestamps are persisted). Timers are short-lived (session and rebalance timeouts), so cancelled ones
 * are removed from the queue at once rather than left to expire. Thread-safe.
 */
public final class ScheduledGroupTimer implements GroupTimer {

    private static final Logger log = LoggerFactory.getLogger(ScheduledGroupTimer.class);

    private final ScheduledThreadPoolExecutor executor;
    private final Map<String, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();

    public ScheduledGroupTimer() {
        executor = new ScheduledThreadPoolExecutor(1, ThreadUtils.createThreadFactory("group-coordinator-timer", true));
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nowMs() {
        // wall clock: state timestamps are stored and drive offset expiry across restarts
        return System.currentTimeMillis();
    }

    @Override
    public void schedule(String key, long delayMs, Runnable task) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("Group timer {} failed", key, e);
            }
        };
        // The entry is removed only if it is still this timer: a newer schedule under the
        // same key must survive the older task's completion.
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        synchronized (this) {
            ScheduledFuture<?> future = executor.schedule(
                    () -> {
                        timers.remove(key, self[0]);
                        guarded.run();
                    },
                    Math.max(0, delayMs),
                    TimeUnit.MILLISECONDS);
            self[0] = future;
            ScheduledFuture<?> previous = timers.put(key, future);
            if (previous != null) {
                previous.cancel(false);
            }
        }
    }

    @Override
    public void cancel(String key) {
        ScheduledFuture<?> previous = timers.remove(key);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        timers.clear();
    }
}
