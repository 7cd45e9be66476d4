package io.tributary.broker.partition;

import static io.tributary.broker.testing.TestRecords.batch;
import static io.tributary.broker.testing.TestRecords.offsets;
import static io.tributary.broker.testing.TestRecords.transactionalBatch;
import static io.tributary.broker.testing.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.testing.MutableClock;
import io.tributary.common.zk.PartitionState;
import io.tributary.storage.log.FetchDataInfo;
import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.index.AbortedTxn;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition side of transactions over a real log: the last stable offset held at the first
 * offset of an open transaction, read_committed reads and ListOffsets bounded by it, aborted
 * transactions listed for the range read, and all of it rebuilt from the log on reopening.
 */
class PartitionTransactionsTest {

    private static final TopicPartition TP = new TopicPartition("payments", 0);
    private static final long PRODUCER = 7;
    private static final short EPOCH = 0;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private ScheduledExecutorService scheduler;
    private PartitionLog log;
    private Partition partition;

    @BeforeEach
    void open() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        log = PartitionLog.open(new File(dir.toFile(), "payments-0"), LogConfig.defaults(), scheduler, clock);
        partition = leaderOver(log);
    }

    @AfterEach
    void close() {
        log.close();
        scheduler.shutdownNow();
    }

    @Test
    void shouldHoldTheLastStableOffsetAtTheFirstOffsetOfAnOpenTransaction() {
        partition.appendAsLeader(batch("before"), (short) 1);
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "t1", "t2"), (short) 1);
        partition.appendAsLeader(batch("after"), (short) 1);

        assertThat(partition.highWatermark()).isEqualTo(4);
        assertThat(partition.lastStableOffset()).isEqualTo(1);
        assertThat(values(readCommitted(0).records())).containsExactly("before");
        assertThat(partition
                        .offsetForTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP, true, Optional.empty())
                        .orElseThrow()
                        .offset())
                .isEqualTo(1);
        assertThat(partition.readableEnd(false, true, Optional.empty()).messageOffset())
                .isEqualTo(1);
    }

    @Test
    void shouldReleaseACommittedTransactionToReadCommittedReadsWithNothingAborted() {
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "t1", "t2"), (short) 1);

        partition.appendTransactionMarker(PRODUCER, EPOCH, true, 0);

        assertThat(partition.lastStableOffset()).isEqualTo(3);
        assertThat(values(readCommitted(0).records())).containsExactly("t1", "t2");
        assertThat(partition.abortedTransactions(0, 3)).isEmpty();
    }

    @Test
    void shouldListAnAbortedTransactionForTheRangeRead() {
        partition.appendAsLeader(batch("before"), (short) 1);
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "t1", "t2"), (short) 1);

        partition.appendTransactionMarker(PRODUCER, EPOCH, false, 0);

        AbortedTxn aborted = new AbortedTxn(PRODUCER, 1, 3, 4);
        assertThat(partition.lastStableOffset()).isEqualTo(4);
        assertThat(offsets(readCommitted(0).records())).containsExactly(0L, 1L, 2L);
        assertThat(partition.abortedTransactions(0, 4)).containsExactly(aborted);
        assertThat(partition.abortedTransactions(0, 1)).isEmpty();
        assertThat(partition.abortedTransactions(4, 10)).isEmpty();
    }

    @Test
    void shouldRebuildOpenAndAbortedTransactionsFromTheLogWhenReopened() {
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "aborted"), (short) 1);
        partition.appendTransactionMarker(PRODUCER, EPOCH, false, 0);
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 1, "open"), (short) 1);

        Partition reopened = leaderOver(log);

        assertThat(reopened.abortedTransactions(0, 10)).containsExactly(new AbortedTxn(PRODUCER, 0, 1, 2));
        assertThat(reopened.lastStableOffset()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAMarkerFromAnOlderProducerEpoch() {
        partition.appendAsLeader(transactionalBatch(PRODUCER, (short) 3, 0, "t"), (short) 1);

        assertThatThrownBy(() -> partition.appendTransactionMarker(PRODUCER, (short) 2, true, 0))
                .isInstanceOf(InvalidProducerEpochException.class);
        assertThat(partition.lastStableOffset()).isZero();
    }

    @Test
    void shouldLetAFencingAbortInANewerEpochCloseTheTransaction() {
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "t"), (short) 1);

        partition.appendTransactionMarker(PRODUCER, (short) 1, false, 0);

        assertThat(partition.lastStableOffset()).isEqualTo(2);
        assertThatThrownBy(() -> partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 1, "late"), (short) 1))
                .isInstanceOf(InvalidProducerEpochException.class);
    }

    @Test
    void shouldAppendAVerifiedFirstTransactionalBatchAndNeedNoVerificationForTheNextOne() {
        VerificationGuard guard = partition.startTransactionVerification(PRODUCER);

        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "t1"), (short) 1, guard);

        assertThat(guard.needsVerification()).isTrue();
        assertThat(partition.startTransactionVerification(PRODUCER)).isSameAs(VerificationGuard.NOT_NEEDED);
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 1, "t2"), (short) 1, VerificationGuard.NOT_NEEDED);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAFirstTransactionalBatchWhoseGuardAMarkerDroppedDuringItsVerification() {
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "aborted"), (short) 1);
        VerificationGuard stale = partition.startTransactionVerification(PRODUCER);
        partition.appendTransactionMarker(PRODUCER, EPOCH, false, 0);
        VerificationGuard guard = partition.startTransactionVerification(PRODUCER);
        partition.appendTransactionMarker(PRODUCER, EPOCH, false, 0);

        assertThat(stale).isSameAs(VerificationGuard.NOT_NEEDED);
        assertThatThrownBy(() ->
                        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 1, "late"), (short) 1, stale))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThatThrownBy(() ->
                        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 1, "late"), (short) 1, guard))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(partition.lastStableOffset()).isEqualTo(3);
    }

    @Test
    void shouldRefuseAFirstTransactionalBatchWithAnAbandonedGuardButAppendItWithoutVerification() {
        VerificationGuard guard = partition.startTransactionVerification(PRODUCER);
        partition.abandonTransactionVerification(guard);

        assertThatThrownBy(
                        () -> partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "t"), (short) 1, guard))
                .isInstanceOf(InvalidTxnStateException.class);
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "t"), (short) 1);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    private FetchDataInfo readCommitted(long offset) {
        return partition.read(offset, 100_000, false, true, true, Optional.empty());
    }

    private Partition leaderOver(PartitionLog partitionLog) {
        Partition leader = new Partition(TP, Uuid.randomUuid(), 1, partitionLog, clock, new NoListener());
        leader.applyState(new PartitionState(1, 0, List.of(1), 0), 0, List.of(1), 1);
        return leader;
    }

    private static final class NoListener implements Partition.Listener {
        @Override
        public void onAppend(TopicPartition topicPartition) {}

        @Override
        public void onHighWatermarkChanged(TopicPartition topicPartition) {}

        @Override
        public void onIsrChangeProposed(Partition p, PartitionState proposed, int expectedVersion) {}
    }
}
