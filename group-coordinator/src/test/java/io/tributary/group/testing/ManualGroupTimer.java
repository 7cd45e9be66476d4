package io.tributary.group.testing;

import io.tributary.group.membership.GroupTimer;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/** A {@link GroupTimer} whose time moves only when a test calls {@link #advance}. */
public final class ManualGroupTimer implements GroupTimer {

    private record Task(long deadline, long seq, String key, Runnable body) {}

    private long now;
    private long seq;
    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            (a, b) -> a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline) : Long.compare(a.seq, b.seq));
    private final Map<String, Task> byKey = new HashMap<>();

    public ManualGroupTimer(long startMs) {
        this.now = startMs;
    }

    @Override
    public synchronized long nowMs() {
        return now;
    }

    @Override
    public synchronized void schedule(String key, long delayMs, Runnable task) {
        cancel(key);
        Task t = new Task(now + Math.max(0, delayMs), seq++, key, task);
        queue.add(t);
        byKey.put(key, t);
    }

    @Override
    public synchronized void cancel(String key) {
        Task previous = byKey.remove(key);
        if (previous != null) {
            queue.remove(previous);
        }
    }

    /** Whether a timer is scheduled under the key. */
    public synchronized boolean isScheduled(String key) {
        return byKey.containsKey(key);
    }

    /** Moves time forward, running every task that falls due, in deadline order. */
    public void advance(long ms) {
        long target;
        synchronized (this) {
            target = now + ms;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.deadline > target) {
                    now = target;
                    return;
                }
                queue.poll();
                byKey.remove(next.key, next);
                now = next.deadline;
            }
            next.body.run();
        }
    }

    @Override
    public void close() {}
}
