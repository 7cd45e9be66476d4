package io.tributary.group.membership;

/**
 * The membership manager's clock and its one-shot timers, keyed so that scheduling a key again
 * replaces the earlier timer (a heartbeat pushes its member's session deadline back).
 *
 * <p>Tasks run on the timer's own thread and must take the group lock themselves; a task may run
 * although it was just cancelled or replaced (the cancel raced with the expiry), so every task
 * re-checks under the lock that its deadline really passed. Implementations are thread-safe.
 */
public interface GroupTimer extends AutoCloseable {

    /** Milliseconds of this timer's clock; deadlines are compared against it. */
    long nowMs();

    /** Runs {@code task} after {@code delayMs}, replacing any timer scheduled under {@code key}. */
    void schedule(String key, long delayMs, Runnable task);

    /** Cancels the timer under {@code key}, if any. */
    void cancel(String key);

    /** Stops the timer thread; pending tasks are dropped. */
    @Override
    void close();
}
