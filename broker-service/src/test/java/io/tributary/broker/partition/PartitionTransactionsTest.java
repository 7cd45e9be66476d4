package io.tributary.broker.partition;

import static io.tributary.broker.testing.TestRecords.batch;
import static io.tributary.broker.testing.TestRecords.idempotentBatchAt;
import static io.tributary.broker.testing.TestRecords.offsets;
import static io.tributary.broker.testing.TestRecords.transactionalBatch;
import static io.tributary.broker.testing.TestRecords.transactionalBatchAt;
import static io.tributary.broker.testing.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.producer.ProducerStateManager;
import io.tributary.broker.testing.MutableClock;
import io.tributary.storage.log.FetchDataInfo;
import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.LogFileNames;
import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.index.AbortedTxn;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition side of transactions over a real log: the last stable offset held at the first
 * offset of an open transaction, read_committed reads and ListOffsets bounded by it, aborted
 * transactions listed for the range read, and all of it rebuilt from the log on reopening,
 * through the producer-state snapshots when retention has deleted the batches that made it.
 */
class PartitionTransactionsTest {

    private static final TopicPartition TP = new TopicPartition("payments", 0);
    private static final long PRODUCER = 7;
    private static final short EPOCH = 0;
    private static final long IDEMPOTENT_PRODUCER = 11;

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
    void shouldKeepAnOpenTransactionAndAnOldProducersSequenceAcrossACrashAfterRetention() {
        File restartDir = new File(dir.toFile(), "restart/payments-0");
        PartitionLog first = PartitionLog.open(restartDir, oneBatchPerSegment(), scheduler, clock);
        Partition before = leaderOver(first);
        before.appendAsLeader(idempotent(IDEMPOTENT_PRODUCER, EPOCH, 0, "a0"), (short) 1);
        before.appendAsLeader(idempotent(IDEMPOTENT_PRODUCER, EPOCH, 1, "a1"), (short) 1);
        before.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "open"), (short) 1);
        for (int i = 0; i < 3; i++) {
            before.appendAsLeader(batch("filler-" + i), (short) 1);
        }
        // DeleteRecords and retention take the segments of both producers' batches away
        long logStart = first.retention().deleteRecordsBefore(4);
        assertThat(logStart).isGreaterThanOrEqualTo(4);
        first.flush();
        long recoveryPoint = first.recoveryPoint();
        first.close(); // no shutdown snapshot: only those taken at the rolls are there, as after a kill -9

        PartitionLog reopened =
                PartitionLog.open(restartDir, oneBatchPerSegment(), logStart, recoveryPoint, false, scheduler, clock);
        try {
            Partition after = leaderOver(reopened);

            // the transaction began at offset 2, now deleted: readers are held at the log start
            assertThat(after.lastStableOffset()).isEqualTo(logStart);
            assertThat(after.offsetForTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP, true, Optional.empty())
                            .orElseThrow()
                            .offset())
                    .isEqualTo(logStart);
            assertThat(after.appendAsLeader(idempotent(IDEMPOTENT_PRODUCER, EPOCH, 1, "a1"), (short) 1)
                            .firstOffset())
                    .as("a retry of the producer's last batch is its earlier append")
                    .isEqualTo(1);
            assertThatThrownBy(() -> after.appendAsLeader(idempotent(IDEMPOTENT_PRODUCER, EPOCH, 5, "gap"), (short) 1))
                    .isInstanceOf(OutOfOrderSequenceException.class);
            after.appendAsLeader(idempotent(IDEMPOTENT_PRODUCER, EPOCH, 2, "a2"), (short) 1);
            after.appendTransactionMarker(PRODUCER, EPOCH, true, 0);
            assertThat(after.lastStableOffset())
                    .isEqualTo(after.highWatermark())
                    .isEqualTo(8);
        } finally {
            reopened.close();
        }
    }

    @Test
    void shouldSnapshotAtTheLogEndOnACleanShutdownAndLoadFromIt() {
        File restartDir = new File(dir.toFile(), "clean/payments-0");
        PartitionLog first = PartitionLog.open(restartDir, LogConfig.defaults(), scheduler, clock);
        Partition before = leaderOver(first);
        before.appendAsLeader(batch("before"), (short) 1);
        before.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "t1", "t2"), (short) 1);

        before.producerState().snapshotForShutdown();
        first.close();

        assertThat(LogFileNames.producerSnapshotFile(restartDir, 3)).exists();
        PartitionLog reopened = PartitionLog.open(restartDir, LogConfig.defaults(), 0, 3, true, scheduler, clock);
        try {
            Partition after = leaderOver(reopened);
            assertThat(after.lastStableOffset()).isEqualTo(1);
            assertThatThrownBy(() -> after.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 3, "gap"), (short) 1))
                    .isInstanceOf(OutOfOrderSequenceException.class);
        } finally {
            reopened.close();
        }
    }

    @Test
    void shouldDropTheSnapshotsPastATruncationAndReloadWhatRemains() {
        File truncatedDir = new File(dir.toFile(), "truncated/payments-0");
        PartitionLog follower = PartitionLog.open(truncatedDir, oneBatchPerSegment(), scheduler, clock);
        try {
            Partition replica = leaderOver(follower);
            for (int seq = 0; seq < 5; seq++) {
                replica.appendAsLeader(idempotent(IDEMPOTENT_PRODUCER, EPOCH, seq, "a" + seq), (short) 1);
            }
            assertThat(LogFileNames.producerSnapshotFile(truncatedDir, 4)).exists();

            replica.followerWrites().truncateTo(2);

            assertThat(truncatedDir.list((d, name) -> name.endsWith(LogFileNames.PRODUCER_SNAPSHOT_FILE_SUFFIX)))
                    .containsExactly("00000000000000000002.snapshot");
            assertThatThrownBy(
                            () -> replica.appendAsLeader(idempotent(IDEMPOTENT_PRODUCER, EPOCH, 3, "gap"), (short) 1))
                    .isInstanceOf(OutOfOrderSequenceException.class);
            assertThat(replica.appendAsLeader(idempotent(IDEMPOTENT_PRODUCER, EPOCH, 2, "a2"), (short) 1)
                            .firstOffset())
                    .isEqualTo(2);
        } finally {
            follower.close();
        }
    }

    @Test
    void shouldHideAbortedRecordsWhoseTransactionsFirstBatchRetentionDeletedAcrossRestarts() {
        File restartDir = new File(dir.toFile(), "retention/payments-0");
        LogConfig config = oneBatchPerSegment().withOverrides(Map.of(LogConfig.RETENTION_MS_CONFIG, "500"));
        PartitionLog first = PartitionLog.open(restartDir, config, scheduler, clock);
        Partition before = leaderOver(first);
        long aborted = PRODUCER;
        long abortedAfterRestart = PRODUCER + 1;
        long committed = PRODUCER + 2;
        // the first batch of each transaction is old enough for retention.ms, the rest is not
        before.appendAsLeader(transactionalBatch(aborted, EPOCH, 0, "a0"), (short) 1);
        before.appendAsLeader(transactionalBatch(abortedAfterRestart, EPOCH, 0, "b0"), (short) 1);
        before.appendAsLeader(transactionalBatchAt(clock.millis(), aborted, EPOCH, 1, "a1"), (short) 1);
        before.appendAsLeader(transactionalBatchAt(clock.millis(), abortedAfterRestart, EPOCH, 1, "b1"), (short) 1);
        before.appendTransactionMarker(aborted, EPOCH, false, 0);
        before.appendAsLeader(transactionalBatchAt(clock.millis(), committed, EPOCH, 0, "kept"), (short) 1);
        before.appendTransactionMarker(committed, EPOCH, true, 0);
        assertThat(first.retention().deleteOldSegments()).isEqualTo(2);
        assertThat(first.logStartOffset()).isEqualTo(2);
        first.flush();
        long recoveryPoint = first.recoveryPoint();
        first.close(); // no shutdown snapshot, as after a kill -9

        PartitionLog second = PartitionLog.open(restartDir, config, 2, recoveryPoint, false, scheduler, clock);
        Partition afterCrash = leaderOver(second);
        // the open transaction began at offset 1, below the log start now
        assertThat(afterCrash.lastStableOffset()).isEqualTo(2);
        afterCrash.appendTransactionMarker(abortedAfterRestart, EPOCH, false, 0);
        assertThat(afterCrash.lastStableOffset()).isEqualTo(8);
        assertThat(readCommittedValues(afterCrash, 2)).containsExactly("kept");
        assertThat(afterCrash.abortedTransactions(2, 8))
                .extracting(AbortedTxn::producerId)
                .containsExactlyInAnyOrder(aborted, abortedAfterRestart);
        second.flush();
        second.close();

        // every segment rescanned: the .txnindex files rebuilt from the batches that remain
        PartitionLog third = PartitionLog.open(restartDir, config, 2, 2, false, scheduler, clock);
        try {
            Partition afterRescan = leaderOver(third);
            assertThat(afterRescan.lastStableOffset()).isEqualTo(8);
            assertThat(readCommittedValues(afterRescan, 2)).containsExactly("kept");
        } finally {
            third.close();
        }
    }

    /**
     * What a read_committed consumer keeps of the partition from {@code offset} to the last stable
     * offset, fetch after fetch: no batch of an aborted transaction, no marker.
     */
    private static List<String> readCommittedValues(Partition partition, long offset) {
        long lastStable = partition.lastStableOffset();
        List<AbortedTxn> aborted = partition.abortedTransactions(offset, lastStable);
        List<String> values = new ArrayList<>();
        long next = offset;
        long fetched = -1;
        while (next < lastStable && next != fetched) {
            fetched = next;
            FetchDataInfo info = partition.read(next, 100_000, false, true, true, Optional.empty());
            for (RecordBatch batch : info.records().batches()) {
                next = batch.nextOffset();
                boolean abortedBatch = batch.isTransactional()
                        && aborted.stream()
                                .anyMatch(txn -> txn.producerId() == batch.producerId()
                                        && txn.firstOffset() <= batch.baseOffset()
                                        && batch.lastOffset() <= txn.lastOffset());
                if (batch.isControlBatch() || abortedBatch) {
                    continue;
                }
                for (Record record : batch) {
                    values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
                }
            }
        }
        return values;
    }

    /** A batch of an idempotent producer written now: producers loaded from a snapshot expire by their last write. */
    private MemoryRecords idempotent(long producerId, short epoch, int sequence, String value) {
        return idempotentBatchAt(clock.millis(), producerId, epoch, sequence, value);
    }

    private static LogConfig oneBatchPerSegment() {
        return LogConfig.defaults().withOverrides(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, "100"));
    }

    @Test
    void shouldAppendAVerifiedFirstTransactionalBatchAndNeedNoVerificationForTheNextOne() {
        VerificationGuard guard = partition.startTransactionVerification(PRODUCER, EPOCH, 0);

        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "t1"), (short) 1, guard);

        assertThat(guard.needsVerification()).isTrue();
        assertThat(partition.startTransactionVerification(PRODUCER, EPOCH, 1)).isSameAs(VerificationGuard.NOT_NEEDED);
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 1, "t2"), (short) 1, VerificationGuard.NOT_NEEDED);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAFirstTransactionalBatchWhoseGuardAMarkerDroppedDuringItsVerification() {
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "aborted"), (short) 1);
        VerificationGuard stale = partition.startTransactionVerification(PRODUCER, EPOCH, 1);
        partition.appendTransactionMarker(PRODUCER, EPOCH, false, 0);
        VerificationGuard guard = partition.startTransactionVerification(PRODUCER, EPOCH, 1);
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
        VerificationGuard guard = partition.startTransactionVerification(PRODUCER, EPOCH, 0);
        partition.abandonTransactionVerification(guard);

        assertThatThrownBy(
                        () -> partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "t"), (short) 1, guard))
                .isInstanceOf(InvalidTxnStateException.class);
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "t"), (short) 1);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldHoldALaterBatchBackUntilTheEarlierOneWhoseVerificationFailedRetriablyIsAppended() {
        // the first request's verification fails retriably (the coordinator was busy): its guard
        // stays; the second request, verified after that, gets the same guard
        VerificationGuard first = partition.startTransactionVerification(PRODUCER, EPOCH, 0);
        VerificationGuard second = partition.startTransactionVerification(PRODUCER, EPOCH, 1);

        assertThat(second).isSameAs(first);
        assertThatThrownBy(() ->
                        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 1, "second"), (short) 1, second))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.logEndOffset()).as("no gap before sequence 1").isZero();

        // the producer retries both, in order
        VerificationGuard retried = partition.startTransactionVerification(PRODUCER, EPOCH, 0);
        assertThat(retried).isSameAs(first);
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "first"), (short) 1, retried);
        VerificationGuard next = partition.startTransactionVerification(PRODUCER, EPOCH, 1);
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 1, "second"), (short) 1, next);

        assertThat(next).isSameAs(VerificationGuard.NOT_NEEDED);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void shouldVerifyABatchAtANewerEpochAndKeepItOutOfTheTransactionStillOpenAtTheOlderOne() {
        short next = (short) (EPOCH + 1);
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "first"), (short) 1);
        // transactions V2: the next transaction's first batch (epoch bumped) comes before the first's marker
        VerificationGuard guard = partition.startTransactionVerification(PRODUCER, next, 0);
        assertThat(guard.needsVerification()).isTrue();
        assertThatThrownBy(() -> partition.appendAsLeader(
                        transactionalBatch(PRODUCER, next, 0, "second"), (short) 1, VerificationGuard.NOT_NEEDED))
                .isInstanceOf(InvalidTxnStateException.class);

        // the first's marker carries the bumped epoch; the guard for that epoch survives it
        partition.appendTransactionMarker(PRODUCER, next, true, 0);
        partition.appendAsLeader(transactionalBatch(PRODUCER, next, 0, "second"), (short) 1, guard);

        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(partition.lastStableOffset()).isEqualTo(2);
    }

    @Test
    void shouldRefuseALaterBatchOfTheNextTransactionUntilItsFirstOneAtTheEpochTheMarkerBumpedTo() {
        short next = (short) (EPOCH + 1);
        partition.appendAsLeader(transactionalBatch(PRODUCER, EPOCH, 0, "a", "b", "c"), (short) 1);
        // transactions V2: the marker bumps the epoch, and the producer's sequences restart at 0 in it
        partition.appendTransactionMarker(PRODUCER, next, true, 0);

        // its second request overtook its first (refused while the coordinator was still completing)
        assertThatThrownBy(() -> partition.appendAsLeader(transactionalBatch(PRODUCER, next, 2, "late"), (short) 1))
                .isInstanceOf(OutOfOrderSequenceException.class);
        partition.appendAsLeader(transactionalBatch(PRODUCER, next, 0, "first", "second"), (short) 1);
        partition.appendAsLeader(transactionalBatch(PRODUCER, next, 2, "late"), (short) 1);

        assertThat(log.logEndOffset()).isEqualTo(7);
    }

    private FetchDataInfo readCommitted(long offset) {
        return partition.read(offset, 100_000, false, true, true, Optional.empty());
    }

    private Partition leaderOver(PartitionLog partitionLog) {
        return SoleLeader.over(TP, partitionLog, clock, ProducerStateManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    }
}
