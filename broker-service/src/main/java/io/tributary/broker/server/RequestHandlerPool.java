package io.tributary.broker.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that do a request's work that may block ({@code num.io.threads} in Kafka): appends
 * and their fsyncs, DeleteRecords, a follower's fetch (which takes the partition's lock that an
 * append holds), a ZooKeeper round trip. The Netty event loops only decode, hand the work here and
 * write the answers, so one slow disk never stops a loop from serving every other connection on it.
 *
 * <p>Ordering: {@link #submitInOrder} runs the tasks of one key (a partition) one at a time, in the
 * order they were submitted, on whichever thread is free; tasks of different keys run in parallel.
 * A handler submits from the event loop as it reads each request, so the appends of one connection
 * to one partition happen in the order it sent them (what idempotent producers with several
 * requests in flight rely on); the dispatcher still writes the responses in request order. A slow
 * partition holds at most one thread, while its own later tasks wait in its queue.
 *
 * <p>Accounting: the time a task runs is added to the {@link #tracking} counter that was installed
 * on the thread that submitted it, so a request's share of these threads can be charged to its
 * client (the {@code request_percentage} quota).
 *
 * <p>Thread-safe. After {@link #close()} new tasks fail with {@link RejectedExecutionException}.
 */
public final class RequestHandlerPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RequestHandlerPool.class);

    private final ExecutorService executor;
    /** The counter of the request being handled on this thread, while a handler submits its tasks. */
    private static final ThreadLocal<LongAdder> TRACKER = new ThreadLocal<>();

    /** Per key, a future that completes when the key's last submitted task has run. */
    private final ConcurrentHashMap<Object, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    public RequestHandlerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("A request handler pool needs a thread, not " + threads);
        }
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "request-handler-" + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Calls {@code handling} (a handler's {@code handle}) so that the run time of every task it
     * submits to any pool is added to {@code nanos}, before the task's future completes.
     */
    public static <T> T tracking(LongAdder nanos, Supplier<T> handling) {
        LongAdder previous = TRACKER.get();
        TRACKER.set(nanos);
        try {
            return handling.get();
        } finally {
            if (previous == null) {
                TRACKER.remove();
            } else {
                TRACKER.set(previous);
            }
        }
    }

    /** Runs {@code work} on a free thread; the future completes with its result or failure. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(task(work, result, null), result, null);
        return result;
    }

    /**
     * Runs {@code work} after every task submitted earlier with an equal {@code key} has run, and
     * before those submitted later.
     */
    public <T> CompletableFuture<T> submitInOrder(Object key, Supplier<T> work) {
        return submitInOrder(key, CompletableFuture.completedFuture(null), work);
    }

    /**
     * As {@link #submitInOrder(Object, Supplier)}, and not before {@code gate} completes (either
     * way): the task keeps its place in the key's order while it waits, holding no thread, and the
     * key's later tasks wait behind it (a produce waiting for its transaction's verification).
     */
    public <T> CompletableFuture<T> submitInOrder(Object key, CompletableFuture<?> gate, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<Void> ran = new CompletableFuture<>();
        Runnable task = task(work, result, ran);
        tails.compute(key, (k, previous) -> {
            CompletableFuture<?> ready = previous == null ? gate : CompletableFuture.allOf(previous, gate);
            if (ready.isDone()) {
                execute(task, result, ran);
            } else {
                ready.whenComplete((ignored, failure) -> execute(task, result, ran));
            }
            return ran;
        });
        // the last task of a key removes the key, so idle partitions cost nothing
        ran.whenComplete((ignored, failure) -> tails.remove(key, ran));
        return result;
    }

    private static <T> Runnable task(Supplier<T> work, CompletableFuture<T> result, CompletableFuture<Void> ran) {
        LongAdder tracker = TRACKER.get();
        return () -> {
            long start = System.nanoTime();
            T value = null;
            Throwable failure = null;
            try {
                value = work.get();
            } catch (Throwable t) {
                failure = t;
            }
            if (tracker != null) {
                tracker.add(System.nanoTime() - start);
            }
            try {
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failure);
                }
            } finally {
                if (ran != null) {
                    ran.complete(null);
                }
            }
        };
    }

    private void execute(Runnable task, CompletableFuture<?> result, CompletableFuture<Void> ran) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
            if (ran != null) {
                ran.complete(null);
            }
        }
    }

    /** How many keys have a task queued or running (for tests). */
    int keysInUse() {
        return tails.size();
    }

    /** Lets the running tasks finish (up to 10 s), then stops. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            log.warn("Request handler threads still busy after 10 s; interrupting them");
            executor.shutdownNow();
        }
    }
}
