package io.tributary.broker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The request handler pool: per-key order, no head-of-line blocking across keys, refusal once closed. */
class RequestHandlerPoolTest {

    private final RequestHandlerPool pool = new RequestHandlerPool(4);

    @AfterEach
    void close() throws InterruptedException {
        pool.close();
    }

    @Test
    void shouldRunOnDaemonThreadsNamedRequestHandlerN() throws Exception {
        try (RequestHandlerPool oneThread = new RequestHandlerPool(1)) {
            Thread thread = oneThread.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);

            // named for thread dumps and logs, numbered from 1 as Kafka's ThreadUtils does; a daemon
            // never holds the JVM up
            assertThat(thread.getName()).isEqualTo("request-handler-1");
            assertThat(thread.isDaemon()).isTrue();
        }
    }

    @Test
    void shouldChargeTheRunTimeOfTasksToTheCounterOfTheRequestThatSubmittedThem() throws Exception {
        java.util.concurrent.atomic.LongAdder charged = new java.util.concurrent.atomic.LongAdder();
        CompletableFuture<Long> seen = RequestHandlerPool.tracking(
                charged, () -> pool.submit(() -> pause(50)).thenApply(ignored -> charged.sum()));
        // submitted outside tracking: charged to no one
        CompletableFuture<Long> untracked = pool.submitInOrder("p-0", () -> pause(500));

        // charged before the task's future completes, so a handler can read it from its answer
        assertThat(seen.get(5, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        untracked.get(5, TimeUnit.SECONDS);
        assertThat(charged.sum()).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
    }

    private static long pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return millis;
    }

    @Test
    void shouldRunTheTasksOfOneKeyOneAtATimeInSubmissionOrder() throws Exception {
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        results.add(pool.submitInOrder("p-0", () -> {
            firstRunning.countDown();
            await(release);
            ran.add(0);
            return 0;
        }));
        assertThat(firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 200; i++) {
            int n = i;
            results.add(pool.submitInOrder("p-0", () -> {
                ran.add(n);
                return n;
            }));
        }

        assertThat(ran).isEmpty(); // the later tasks wait for the first although threads are free
        release.countDown();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(ran).hasSize(200).isSorted();
        assertThat(results.get(199).get()).isEqualTo(199);
        // a key is dropped just after its last task's result is delivered, not before
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(pool::keysInUse, n -> n == 0);
    }

    @Test
    void shouldRunTheTasksQueuedBehindARunningOneOnItsThreadWithoutHandingThemOver() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Boolean>> results = new ArrayList<>();
        results.add(pool.submitInOrder("p-0", () -> {
            firstRunning.countDown();
            await(release);
            return threads.add(Thread.currentThread().getName());
        }));
        assertThat(firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 10; i++) {
            results.add(pool.submitInOrder(
                    "p-0", () -> threads.add(Thread.currentThread().getName())));
        }

        release.countDown();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        // three other threads were idle: still, the thread that ran the first ran the rest
        assertThat(threads).hasSize(11).containsOnly(threads.get(0));
    }

    @Test
    void shouldLetAnotherKeyRunBeforeABusyKeyHasRunItsWholeQueue() throws Exception {
        try (RequestHandlerPool oneThread = new RequestHandlerPool(1)) {
            CountDownLatch release = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicInteger busyRan = new java.util.concurrent.atomic.AtomicInteger();
            List<CompletableFuture<Integer>> busy = new ArrayList<>();
            busy.add(oneThread.submitInOrder("busy-0", () -> {
                await(release);
                return busyRan.incrementAndGet();
            }));
            for (int i = 0; i < 1_000; i++) {
                busy.add(oneThread.submitInOrder("busy-0", busyRan::incrementAndGet));
            }
            CompletableFuture<Integer> other = oneThread.submitInOrder("other-1", busyRan::get);

            release.countDown();

            // the only thread left the busy key after a batch of its tasks, not after all 1,001
            assertThat(other.get(10, TimeUnit.SECONDS)).isLessThan(1_001);
            CompletableFuture.allOf(busy.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(busyRan.get()).isEqualTo(1_001);
        }
    }

    @Test
    void shouldRunOtherKeysWhileOneKeysTaskIsStuck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> stuck = pool.submitInOrder("slow-0", () -> {
            await(release);
            return "slow";
        });
        CompletableFuture<String> queuedBehind = pool.submitInOrder("slow-0", () -> "behind");

        assertThat(pool.submitInOrder("fast-1", () -> "fast").get(5, TimeUnit.SECONDS))
                .isEqualTo("fast");
        assertThat(pool.submit(() -> "any").get(5, TimeUnit.SECONDS)).isEqualTo("any");
        assertThat(stuck).isNotDone();
        assertThat(queuedBehind).isNotDone();

        release.countDown();
        assertThat(queuedBehind.get(5, TimeUnit.SECONDS)).isEqualTo("behind");
    }

    @Test
    void shouldCarryATasksFailureAndKeepServingItsKey() throws Exception {
        CompletableFuture<Object> failed = pool.submitInOrder("p-0", () -> {
            throw new IllegalStateException("disk gone");
        });

        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(pool.submitInOrder("p-0", () -> "next").get(5, TimeUnit.SECONDS))
                .isEqualTo("next");
    }

    @Test
    void shouldHoldAGatedTaskAndTheKeysLaterTasksUntilTheGateOpensWithoutHoldingAThread() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Object> gated = pool.submitInOrder("p-0", gate, () -> ran.add("gated"));
        CompletableFuture<Object> later = pool.submitInOrder("p-0", () -> ran.add("later"));
        List<CompletableFuture<String>> others = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            others.add(pool.submitInOrder("p-" + (n + 1), () -> "other-" + n));
        }

        for (CompletableFuture<String> other : others) {
            assertThat(other.get(5, TimeUnit.SECONDS)).startsWith("other-");
        }
        assertThat(gated).isNotDone();
        assertThat(later).isNotDone();
        gate.completeExceptionally(new IllegalStateException("the gate's failure is the task's to read"));
        later.get(5, TimeUnit.SECONDS);
        assertThat(ran).containsExactly("gated", "later");
    }

    @Test
    void shouldRefuseTasksOnceClosed() throws Exception {
        pool.close();

        assertThatThrownBy(() -> pool.submitInOrder("p-0", () -> "late").get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.submit(() -> "late").get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RejectedExecutionException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
