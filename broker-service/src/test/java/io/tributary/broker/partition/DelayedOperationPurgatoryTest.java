package io.tributary.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The purgatory with a real timer thread and operations whose condition the test flips. */
class DelayedOperationPurgatoryTest {

    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TopicPartition B = new TopicPartition("b", 0);
    private static final long LONG_TIMEOUT_MS = 60_000;

    private final ScheduledExecutorService timer = DelayedOperationPurgatory.newTimer(Thread::new);
    private final DelayedOperationPurgatory<TestOperation> purgatory = new DelayedOperationPurgatory<>(timer);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void shouldCompleteAtOnceWithoutWatchingWhenTheConditionAlreadyHolds() {
        TestOperation operation = new TestOperation(List.of(A));
        operation.ready.set(true);

        purgatory.tryCompleteElseWatch(operation, LONG_TIMEOUT_MS);

        assertThat(operation.completions.get()).isEqualTo(1);
        assertThat(operation.timedOut).isFalse();
        assertThat(purgatory.watched()).isZero();
    }

    @Test
    void shouldCompleteAWatchedOperationWhenItsKeyIsCheckedAndTheConditionHolds() {
        TestOperation operation = new TestOperation(List.of(A));
        purgatory.tryCompleteElseWatch(operation, LONG_TIMEOUT_MS);
        assertThat(purgatory.watched()).isEqualTo(1);

        purgatory.checkAndComplete(A);
        assertThat(operation.isCompleted()).isFalse();

        operation.ready.set(true);
        purgatory.checkAndComplete(A);

        assertThat(operation.completions.get()).isEqualTo(1);
        assertThat(operation.timedOut).isFalse();
        assertThat(purgatory.watched()).isZero();
    }

    @Test
    void shouldNotCheckOperationsWatchingOtherKeys() {
        TestOperation onA = new TestOperation(List.of(A));
        purgatory.tryCompleteElseWatch(onA, LONG_TIMEOUT_MS);
        onA.ready.set(true);
        int checksBefore = onA.checks.get();

        purgatory.checkAndComplete(B);

        assertThat(onA.checks.get()).isEqualTo(checksBefore);
        assertThat(onA.isCompleted()).isFalse();
    }

    @Test
    void shouldCompleteAnOperationOnAnyOfItsKeysAndUnwatchItFromAll() {
        TestOperation operation = new TestOperation(List.of(A, B));
        purgatory.tryCompleteElseWatch(operation, LONG_TIMEOUT_MS);
        assertThat(purgatory.watched()).isEqualTo(2);

        operation.ready.set(true);
        purgatory.checkAndComplete(B);

        assertThat(operation.completions.get()).isEqualTo(1);
        assertThat(purgatory.watched()).isZero();
        purgatory.checkAndComplete(A);
        assertThat(operation.completions.get()).isEqualTo(1);
    }

    @Test
    void shouldExpireAnOperationAtItsTimeoutAndUnwatchIt() {
        TestOperation operation = new TestOperation(List.of(A));
        long start = System.nanoTime();

        purgatory.tryCompleteElseWatch(operation, 200);

        await().atMost(Duration.ofSeconds(5)).until(operation::isCompleted);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(190);
        assertThat(operation.timedOut).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> purgatory.watched() == 0);
    }

    @Test
    void shouldDropTheTimeoutOfEachOperationThatCompletesBeforeIt() {
        for (int i = 0; i < 1_000; i++) {
            TestOperation operation = new TestOperation(List.of(A));
            purgatory.tryCompleteElseWatch(operation, LONG_TIMEOUT_MS);
            operation.ready.set(true);
            purgatory.checkAndComplete(A);
            assertThat(operation.completions.get()).isEqualTo(1);
        }

        // nothing left for the timer thread to wake up for, only to discard it, a minute from now
        assertThat(((ScheduledThreadPoolExecutor) timer).getQueue()).isEmpty();
    }

    @Test
    void shouldNotExpireAnOperationThatCompletedFirst() throws Exception {
        TestOperation operation = new TestOperation(List.of(A));
        purgatory.tryCompleteElseWatch(operation, 100);
        operation.ready.set(true);
        purgatory.checkAndComplete(A);

        Thread.sleep(300);

        assertThat(operation.completions.get()).isEqualTo(1);
        assertThat(operation.timedOut).isFalse();
    }

    @Test
    void shouldCompleteEachOperationOnceUnderConcurrentChecksAndItsTimeout() throws Exception {
        List<TestOperation> operations = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            TestOperation operation = new TestOperation(List.of(A, B));
            operations.add(operation);
            purgatory.tryCompleteElseWatch(operation, 5 + i % 20);
        }
        operations.forEach(op -> op.ready.set(true));
        ExecutorService checkers = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        for (TopicPartition key : List.of(A, B)) {
            checkers.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int round = 0; round < 20; round++) {
                    purgatory.checkAndComplete(key);
                }
            });
        }
        start.countDown();
        checkers.shutdown();
        assertThat(checkers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> operations.stream().allMatch(TestOperation::isCompleted));
        Thread.sleep(100); // past every timeout
        assertThat(operations).allSatisfy(op -> assertThat(op.completions.get()).isEqualTo(1));
        assertThat(purgatory.watched()).isZero();
    }

    @Test
    void shouldNotMissAChangeBetweenTheFirstCheckAndTheWatch() {
        // the condition turns true during the first check: nobody will call checkAndComplete again
        TestOperation operation = new TestOperation(List.of(A)) {
            @Override
            public boolean tryComplete() {
                boolean result = super.tryComplete();
                ready.set(true);
                return result;
            }
        };

        purgatory.tryCompleteElseWatch(operation, LONG_TIMEOUT_MS);

        assertThat(operation.completions.get()).isEqualTo(1);
        assertThat(operation.timedOut).isFalse();
        assertThat(purgatory.watched()).isZero();
    }

    /** Completes once {@link #ready} is set; records how and how often it completed. */
    private static class TestOperation extends DelayedOperation {
        final AtomicBoolean ready = new AtomicBoolean();
        final AtomicInteger checks = new AtomicInteger();
        final AtomicInteger completions = new AtomicInteger();
        volatile boolean timedOut;

        TestOperation(List<TopicPartition> keys) {
            super(keys);
        }

        @Override
        public boolean tryComplete() {
            checks.incrementAndGet();
            return ready.get() && forceComplete();
        }

        @Override
        protected void onComplete() {
            timedOut = !ready.get();
            completions.incrementAndGet();
        }
    }
}
