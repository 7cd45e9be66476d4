package io.tributary.storage.log;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import io.tributary.storage.log.index.AbortedTxn;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The write path of a partition log, after {@link AppendValidator} has accepted the records:
 * offsets (assigned from the log end for a leader, checked to start there for a follower), a roll
 * if the active segment is full or too old ({@link SegmentRollPolicy}), the header rewrite and
 * leader-epoch bookkeeping ({@link AppendStamper}), the write and publication of the new log end
 * ({@link LocalLog#append}), the {@code .txnindex} entries of ABORT markers
 * ({@link TransactionTracker}), and the {@code flush.messages} policy ({@link LogFlusher}).
 *
 * <p><b>Crash behaviour:</b> the bytes of an append reach the page cache only; a crash may leave
 * any prefix of them, which recovery truncates at the last valid batch. An I/O error, or any
 * failure once the write has begun (bytes may be on disk without a published end), takes the
 * partition offline through {@link OfflineState}.
 *
 * <p><b>Thread-safety:</b> not thread-safe: {@link #append} and {@link #roll} run under the
 * owning {@link PartitionLog}'s lock, which has checked that the log is online and open.
 */
final class LogAppender {

    private final TopicPartition topicPartition;
    private final File dir;
    private final Clock clock;
    private final LocalLog local;
    private final LeaderEpochFileCache leaderEpochCache;
    private final LogFlusher flusher;
    private final OfflineState offline;
    private final TransactionTracker transactions;

    LogAppender(
            TopicPartition topicPartition,
            File dir,
            Clock clock,
            LocalLog local,
            LeaderEpochFileCache leaderEpochCache,
            LogFlusher flusher,
            OfflineState offline,
            TransactionTracker transactions) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.clock = clock;
        this.local = local;
        this.leaderEpochCache = leaderEpochCache;
        this.flusher = flusher;
        this.offline = offline;
        this.transactions = transactions;
    }

    /**
     * Appends {@code records}, which {@code validated} describes and which hold at least one batch,
     * at the log end.
     *
     * @param assignOffsets true for a leader append (offsets from the log end, {@code leaderEpoch}
     *                      stamped), false for a follower append (offsets and epochs kept)
     * @param logStartOffset reported in the answer
     * @throws UnexpectedAppendOffsetException a follower append does not start at the log end
     * @throws KafkaStorageException           the write failed (the partition is now offline)
     */
    LogAppendInfo append(
            MemoryRecords records,
            AppendValidator.Validated validated,
            int leaderEpoch,
            boolean assignOffsets,
            LogConfig config,
            long logStartOffset) {
        try {
            long endOffset = local.logEndOffset();
            long firstOffset = assignOffsets ? endOffset : validated.firstOffset();
            long lastOffset = assignOffsets ? endOffset + validated.offsetCount() - 1 : validated.lastOffset();
            if (!assignOffsets) {
                AppendValidator.checkFollowerStart(validated, endOffset, topicPartition, dir);
            }
            LogSegment segment = local.segments().activeSegment();
            if (SegmentRollPolicy.shouldRoll(
                    segment, validated.validBytes(), validated.maxTimestamp(), lastOffset, clock.millis(), config)) {
                segment = roll(config);
            }
            AppendStamper.Stamped stamped =
                    AppendStamper.stamp(records, assignOffsets, firstOffset, leaderEpoch, leaderEpochCache);
            try {
                indexAbortedTransactions(segment, records);
                local.append(segment, records, lastOffset);
            } catch (RuntimeException e) {
                // bytes may be on disk without a published end: never serve from this state
                throw offline.markOffline("append", e);
            }
            return new LogAppendInfo(
                    firstOffset,
                    lastOffset,
                    stamped.maxTimestamp(),
                    stamped.offsetOfMaxTimestamp(),
                    validated.shallowCount(),
                    validated.validBytes(),
                    logStartOffset);
        } catch (IOException | UncheckedIOException e) {
            throw offline.markOffline("append", e);
        }
    }

    /**
     * Shows the appended batches to the transaction tracker and writes the transactions their
     * ABORT markers complete to the segment's {@code .txnindex}. Before the batches are written
     * and the new end published, so that no reader finds a marker without its entry and no flush
     * moves the recovery point past one (an entry whose marker a crash lost is dropped when the
     * unflushed segment is rescanned).
     */
    private void indexAbortedTransactions(LogSegment segment, MemoryRecords records) throws IOException {
        for (RecordBatch batch : records.batches()) {
            Optional<AbortedTxn> aborted = transactions.onBatch(batch);
            if (aborted.isPresent()) {
                segment.appendAbortedTxn(aborted.get());
            }
        }
    }

    /**
     * Starts a new active segment at the log end offset, unless the active segment is empty, and
     * flushes the previous segments in the background.
     *
     * @return the active segment after the call
     * @throws KafkaStorageException the new segment could not be created (the partition is now offline)
     */
    LogSegment roll(LogConfig config) {
        LogSegment previous = local.segments().activeSegment();
        LogSegment active;
        try {
            active = local.roll(config);
        } catch (IOException e) {
            throw offline.markOffline("roll", e);
        }
        if (active != previous) {
            flusher.flushInBackground(active.baseOffset());
        }
        return active;
    }
}
