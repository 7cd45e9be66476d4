package io.tributary.broker.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.ThreadUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that do a request's work that may block ({@code num.io.threads} in Kafka): appends
 * and their fsyncs, DeleteRecords, a follower's fetch (which takes the partition's lock that an
 * append holds), a ZooKeeper round trip. The Netty event loops only decode, hand the work here and
 * write the answers, so one slow disk never stops a loop from serving every other connection on it.
 *
 * <p>Ordering: {@link #submitInOrder} runs the tasks of one key (a partition) one at a time, in the
 * order they were submitted, on whichever thread is free, and a task queued behind a running one
 * on the same thread; tasks of different keys run in parallel.
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

    /** Per key, the tasks submitted in order and not yet run; a key with none is absent. */
    private final ConcurrentHashMap<Object, KeyQueue> queues = new ConcurrentHashMap<>();

    public RequestHandlerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("A request handler pool needs a thread, not " + threads);
        }
        this.executor =
                Executors.newFixedThreadPool(threads, ThreadUtils.createThreadFactory("request-handler-%d", true));
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
        execute(task(work, result), result);
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
        Ordered task = new Ordered(gate, task(work, result), result);
        KeyQueue[] start = new KeyQueue[1];
        queues.compute(key, (k, existing) -> {
            KeyQueue queue = existing == null ? new KeyQueue(k) : existing;
            if (queue.add(task)) {
                start[0] = queue;
            }
            return queue;
        });
        if (start[0] != null) {
            start[0].schedule();
        }
        return result;
    }

    private static <T> Runnable task(Supplier<T> work, CompletableFuture<T> result) {
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
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(failure);
            }
        };
    }

    private void execute(Runnable task, CompletableFuture<?> result) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
    }

    /** A task of a key, the gate it waits for, and its result (failed if the pool refuses it). */
    private record Ordered(CompletableFuture<?> gate, Runnable run, CompletableFuture<?> result) {}

    /**
     * The tasks of one key, run one after the other by one drainer on a pool thread. A task queued
     * while the key's previous one runs is run next by the same thread: a partition with requests
     * in flight costs no hand-over between threads (a wake-up and a park each) per request. After
     * {@link #BATCH} tasks the drainer queues itself again, so a busy key does not keep a thread
     * from the other keys' work.
     */
    private final class KeyQueue implements Runnable {

        private static final int BATCH = 64;

        private final Object key;
        /** Guarded by this. */
        private final ArrayDeque<Ordered> tasks = new ArrayDeque<>();
        /** A drainer is queued, running or waiting for a gate; guarded by this. */
        private boolean draining;

        KeyQueue(Object key) {
            this.key = key;
        }

        /** Queues {@code task}; true when the caller must {@link #schedule} a drainer. */
        synchronized boolean add(Ordered task) {
            tasks.add(task);
            if (draining) {
                return false;
            }
            draining = true;
            return true;
        }

        void schedule() {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                failAll(e);
            }
        }

        @Override
        public void run() {
            for (int ran = 0; ran < BATCH; ran++) {
                Ordered next = nextReady();
                if (next == null) {
                    return;
                }
                try {
                    next.run().run();
                } catch (RuntimeException e) {
                    // a task completes its own result; this is a failure of a callback on it
                    log.error("A task of {} failed after completing its result", key, e);
                }
            }
            schedule();
        }

        /**
         * The head task, taken off the queue, once its gate is open. Null when this drainer is to
         * stop: the queue is empty (and the key dropped), or the head waits for its gate, which
         * starts a drainer again when it opens.
         */
        private Ordered nextReady() {
            while (true) {
                Ordered head;
                synchronized (this) {
                    head = tasks.peek();
                }
                if (head == null) {
                    if (retireIfEmpty()) {
                        return null;
                    }
                    continue;
                }
                if (!head.gate().isDone()) {
                    head.gate().whenComplete((ignored, failure) -> schedule());
                    return null;
                }
                synchronized (this) {
                    return tasks.poll();
                }
            }
        }

        /** Drops the key if no task came in meanwhile (under the map's lock, as {@code add} runs). */
        private boolean retireIfEmpty() {
            boolean[] retired = {false};
            queues.compute(key, (k, queue) -> {
                synchronized (this) {
                    if (queue != this || !tasks.isEmpty()) {
                        return queue;
                    }
                    draining = false;
                    retired[0] = true;
                    return null;
                }
            });
            return retired[0];
        }

        /** The pool is closed: every queued task of the key fails with {@code refused}. */
        private void failAll(RejectedExecutionException refused) {
            List<Ordered> failed;
            synchronized (this) {
                failed = new ArrayList<>(tasks);
                tasks.clear();
                draining = false;
            }
            queues.remove(key, this);
            failed.forEach(task -> task.result().completeExceptionally(refused));
        }
    }

    /** How many keys have a task queued or running (for tests). */
    int keysInUse() {
        return queues.size();
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
