package io.tributary.broker.partition;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * Where delayed operations wait, watched by partition. Whoever changes a partition (an append, a
 * high-watermark move, a leader change) calls {@link #checkAndComplete}; a timer completes what
 * is left at its deadline. Thread-safe.
 */
public final class DelayedOperationPurgatory<T extends DelayedOperation> {

    private final ConcurrentHashMap<TopicPartition, Set<T>> watchers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    public DelayedOperationPurgatory(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * The timer for purgatories: one thread, and a timeout that is cancelled leaves its queue at
     * once. Most parked operations complete before their timeout (a follower's fetch as soon as
     * the leader appends, a produce once the followers have it), thousands of them a second under
     * replication. Left in the queue until its deadline, each cancelled timeout would wake the
     * timer thread once more and lengthen every sift of the queue: about 1 CPU-second of the
     * leader's per million replicated 1 KiB records, measured.
     */
    public static ScheduledExecutorService newTimer(ThreadFactory threads) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, threads);
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Completes {@code operation} now if it can, otherwise parks it until a change or {@code timeoutMs}. */
    public void tryCompleteElseWatch(T operation, long timeoutMs) {
        if (operation.tryComplete()) {
            return;
        }
        for (TopicPartition key : operation.keys()) {
            watch(key, operation);
        }
        // a change between the first check and the watch would otherwise be missed
        if (operation.tryComplete()) {
            unwatch(operation);
            return;
        }
        operation.setTimeout(timer.schedule(
                () -> {
                    operation.forceComplete();
                    unwatch(operation);
                },
                Math.max(0, timeoutMs),
                TimeUnit.MILLISECONDS));
    }

    /** Re-checks the operations watching {@code key}. */
    public void checkAndComplete(TopicPartition key) {
        Set<T> operations = watchers.get(key);
        if (operations == null) {
            return;
        }
        for (T operation : operations) {
            if (operation.isCompleted() || operation.tryComplete()) {
                unwatch(operation);
            }
        }
    }

    public int watched() {
        return watchers.values().stream().mapToInt(Set::size).sum();
    }

    /**
     * Adds inside the map's own atomic step, never to a set fetched earlier: {@link #unwatch} drops a
     * key's set once it is empty, and an operation added to a set that was just dropped would never
     * be checked again — it would wait for its timeout (for a produce, the client's 30 s
     * {@code request.timeout.ms}).
     */
    private void watch(TopicPartition key, T operation) {
        watchers.compute(key, (k, set) -> {
            Set<T> watching = set != null ? set : ConcurrentHashMap.newKeySet();
            watching.add(operation);
            return watching;
        });
    }

    private void unwatch(T operation) {
        for (TopicPartition key : operation.keys()) {
            watchers.computeIfPresent(key, (k, set) -> {
                set.remove(operation);
                return set.isEmpty() ? null : set;
            });
        }
    }
}
