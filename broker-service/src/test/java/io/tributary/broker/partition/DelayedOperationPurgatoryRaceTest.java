package io.tributary.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The replicated ack stall: a produce parked while another operation on the same partition was
 * being unwatched could land in a watcher set that had just been dropped from the map, so no
 * high-watermark move ever re-checked it and it answered only at its timeout (the producer's
 * {@code request.timeout.ms}, 30 s). This test races a watch against an unwatch on one partition
 * many times and requires every parked operation to be reachable by the next check.
 */
class DelayedOperationPurgatoryRaceTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final int ROUNDS = 20_000;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void shouldKeepAnOperationWatchedWhenAnotherOnTheSamePartitionCompletesConcurrently() throws Exception {
        DelayedOperationPurgatory<Flagged> purgatory = new DelayedOperationPurgatory<>(timer);
        CyclicBarrier start = new CyclicBarrier(2);
        int stranded = 0;
        for (int round = 0; round < ROUNDS && stranded == 0; round++) {
            Flagged leaving = new Flagged();
            purgatory.tryCompleteElseWatch(leaving, TimeUnit.MINUTES.toMillis(5));
            Flagged arriving = new Flagged();

            Thread completer = new Thread(() -> {
                await(start);
                leaving.ready.set(true);
                purgatory.checkAndComplete(TP);
            });
            completer.start();
            await(start);
            purgatory.tryCompleteElseWatch(arriving, TimeUnit.MINUTES.toMillis(5));
            completer.join();

            // the condition the arriving operation waits for now holds: one check must reach it
            arriving.ready.set(true);
            purgatory.checkAndComplete(TP);
            if (!arriving.isCompleted()) {
                stranded++;
            }
            assertThat(leaving.isCompleted()).isTrue();
        }
        assertThat(stranded)
                .as("operations parked where no check could reach them (they would wait for their timeout)")
                .isZero();
        assertThat(purgatory.watched()).isZero();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Flagged extends DelayedOperation {
        final AtomicBoolean ready = new AtomicBoolean();

        Flagged() {
            super(List.of(TP));
        }

        @Override
        public boolean tryComplete() {
            return ready.get() && forceComplete() || isCompleted();
        }

        @Override
        protected void onComplete() {}
    }
}
