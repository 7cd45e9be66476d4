package io.tributary.broker.partition;

import static io.tributary.broker.testing.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.testing.MutableClock;
import io.tributary.common.zk.PartitionState;
import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.PartitionLog;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's high watermark and the produces parked on it never wait for an append: two
 * partitions led on broker 1 with follower 2 in the ISR, a real purgatory woken as
 * {@link ReplicaManager} wakes it, and one partition held mid-append (its monitor taken, as
 * {@link Partition#appendAsLeader} holds it through the disk write) while a follower's fetch
 * reports its progress on both, in the order a fetch request lists them.
 */
class PartitionLockingTest {

    private static final TopicPartition A = new TopicPartition("orders", 0);
    private static final TopicPartition B = new TopicPartition("orders", 1);
    private static final List<Integer> REPLICAS = List.of(1, 2);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final List<PartitionLog> logs = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private DelayedOperationPurgatory<DelayedOperation> produces;
    private Partition partitionA;
    private Partition partitionB;

    @BeforeEach
    void open() {
        scheduler = Executors.newScheduledThreadPool(2);
        produces = new DelayedOperationPurgatory<>(scheduler);
        partitionA = leader(A);
        partitionB = leader(B);
    }

    @AfterEach
    void close() {
        logs.forEach(PartitionLog::close);
        scheduler.shutdownNow();
    }

    @Test
    void shouldAdvanceTheHighWatermarkAndCompleteParkedProducesWhileAnAppendHoldsThePartition() throws Exception {
        partitionA.appendAsLeader(batch("a1", "a2", "a3"), (short) -1);
        partitionB.appendAsLeader(batch("b1", "b2"), (short) -1);
        ParkedProduce onA = park(partitionA, 3);
        ParkedProduce onB = park(partitionB, 2);

        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread appender = new Thread(() -> {
            synchronized (partitionA) {
                holding.countDown();
                await(release);
            }
        });
        appender.start();
        try {
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();

            // one follower fetch for both partitions, A first, on a request-handler thread
            CompletableFuture<Void> fetch = CompletableFuture.runAsync(() -> {
                partitionA.updateFollowerFetchState(2, 3);
                partitionB.updateFollowerFetchState(2, 2);
            });

            fetch.get(5, TimeUnit.SECONDS);
            assertThat(partitionA.highWatermark()).isEqualTo(3);
            assertThat(partitionB.highWatermark()).isEqualTo(2);
            assertThat(onA.answered.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(onB.answered.get(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
            appender.join();
        }
    }

    @Test
    void shouldKeepTheHighWatermarkWithinTheLogEndAndNeverMoveItBack() {
        partitionA.appendAsLeader(batch("a1", "a2", "a3"), (short) -1);

        partitionA.updateFollowerFetchState(2, 2);
        partitionA.updateFollowerFetchState(2, 1);
        assertThat(partitionA.highWatermark()).isEqualTo(2);

        // a follower claiming more than the leader has moves the high watermark to the log end only
        partitionA.updateFollowerFetchState(2, 7);
        assertThat(partitionA.highWatermark()).isEqualTo(3);
    }

    private Partition leader(TopicPartition tp) {
        PartitionLog log = PartitionLog.open(
                new File(dir.toFile(), tp.topic() + "-" + tp.partition()), LogConfig.defaults(), scheduler, clock);
        logs.add(log);
        Partition partition = new Partition(tp, Uuid.randomUuid(), 1, log, clock, new WakingListener());
        partition.applyState(new PartitionState(1, 0, REPLICAS, 0), 0, REPLICAS, 1);
        return partition;
    }

    private ParkedProduce park(Partition partition, long requiredHighWatermark) {
        ParkedProduce produce = new ParkedProduce(partition, requiredHighWatermark);
        produces.tryCompleteElseWatch(produce, 30_000);
        assertThat(produce.isCompleted()).isFalse();
        return produce;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An acks=all produce on one partition: answered true once the high watermark passes its append. */
    private static final class ParkedProduce extends DelayedOperation {
        private final Partition partition;
        private final long requiredHighWatermark;
        final CompletableFuture<Boolean> answered = new CompletableFuture<>();

        ParkedProduce(Partition partition, long requiredHighWatermark) {
            super(List.of(partition.topicPartition()));
            this.partition = partition;
            this.requiredHighWatermark = requiredHighWatermark;
        }

        @Override
        public boolean tryComplete() {
            return partition.highWatermark() >= requiredHighWatermark && forceComplete();
        }

        @Override
        protected void onComplete() {
            answered.complete(partition.highWatermark() >= requiredHighWatermark);
        }
    }

    /** Wakes the purgatory on a partition's changes, as {@link ReplicaManager} does. */
    private final class WakingListener implements PartitionListener {
        @Override
        public void onAppend(TopicPartition topicPartition) {
            produces.checkAndComplete(topicPartition);
        }

        @Override
        public void onHighWatermarkChanged(TopicPartition topicPartition) {
            produces.checkAndComplete(topicPartition);
        }

        @Override
        public void onIsrChangeProposed(Partition partition, PartitionState proposed, int expectedVersion) {}
    }
}
