package io.tributary.storage.log;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * The truncations of a partition log that replication asks for: {@link #truncateTo} removes the
 * tail from an offset on (a follower truncating to its leader's epoch boundary), and
 * {@link #truncateFullyAndStartAt} removes everything and restarts the log empty at an offset (a
 * follower whose fetch offset the leader no longer has). {@link LocalLog} changes the files; this
 * class brings along the state that the removed records carried: the open transactions are
 * replayed from the batches that remain, the leader-epoch cache forgets the epochs past the new
 * end, and the log start offset and the high watermark come down to it. It counts truncations,
 * so that a cleaning that read the old files can tell ({@link PartitionLog#replaceSegments}).
 *
 * <p><b>Crash behaviour:</b> as {@link LocalLog}'s: a crash mid-truncation leaves files that
 * {@link LogLoader} recovers. An {@link IOException} takes the partition offline through
 * {@link OfflineState}.
 *
 * <p><b>Thread-safety:</b> not thread-safe: both truncations run under the owning
 * {@link PartitionLog}'s lock, which has checked that the log is online and open; {@link #count}
 * may be read from any thread.
 */
final class LogTruncation {

    private final LocalLog local;
    private final TransactionTracker transactions;
    private final LeaderEpochFileCache leaderEpochCache;
    private final LogStartOffset logStartOffset;
    private final HighWatermark highWatermark;
    private final OfflineState offline;
    private volatile long count;

    LogTruncation(
            LocalLog local,
            TransactionTracker transactions,
            LeaderEpochFileCache leaderEpochCache,
            LogStartOffset logStartOffset,
            HighWatermark highWatermark,
            OfflineState offline) {
        this.local = local;
        this.transactions = transactions;
        this.leaderEpochCache = leaderEpochCache;
        this.logStartOffset = logStartOffset;
        this.highWatermark = highWatermark;
        this.offline = offline;
    }

    /**
     * Removes every record at or above {@code targetOffset} (not negative); see
     * {@link PartitionLog#truncateTo}.
     *
     * @return true if anything was removed
     * @throws KafkaStorageException the files could not be changed (the partition is now offline)
     */
    boolean truncateTo(long targetOffset, LogConfig config) {
        if (targetOffset >= local.logEndOffset()) {
            return false;
        }
        if (local.segments().firstBaseOffset() > targetOffset) {
            truncateFullyAndStartAt(targetOffset, config);
            return true;
        }
        try {
            count++;
            long newEnd = local.truncateTo(targetOffset, config);
            replayTransactions();
            leaderEpochCache.truncateFromEnd(newEnd);
            logStartOffset.lowerTo(newEnd);
            highWatermark.set(Math.min(highWatermark.offset(), newEnd));
            return true;
        } catch (IOException | UncheckedIOException e) {
            throw offline.markOffline("truncateTo(" + targetOffset + ")", e);
        }
    }

    /**
     * Deletes every segment and restarts the log empty at {@code newOffset} (not negative); see
     * {@link PartitionLog#truncateFullyAndStartAt}.
     *
     * @throws KafkaStorageException the files could not be changed (the partition is now offline)
     */
    void truncateFullyAndStartAt(long newOffset, LogConfig config) {
        try {
            count++;
            local.truncateFullyAndStartAt(newOffset, config);
            transactions.clear();
            logStartOffset.restartAt(newOffset);
            highWatermark.set(newOffset);
            leaderEpochCache.clearAndFlush();
        } catch (IOException | UncheckedIOException e) {
            throw offline.markOffline("truncateFullyAndStartAt(" + newOffset + ")", e);
        }
    }

    /** How many truncations this log has seen. */
    long count() {
        return count;
    }

    /** After a truncation: the open transactions are those of the batches that remain. */
    private void replayTransactions() {
        transactions.clear();
        for (LogSegment segment : local.segments().values()) {
            transactions.replay(segment.log().batches());
        }
    }
}
