package io.tributary.broker.partition;

import io.tributary.broker.producer.ProducerStateManager;
import io.tributary.storage.log.FetchDataInfo;
import io.tributary.storage.log.HighWatermark;
import io.tributary.storage.log.LogOffsetMetadata;
import io.tributary.storage.log.LogReader;
import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.TimestampAndOffset;
import io.tributary.storage.log.epoch.EpochEndOffset;
import io.tributary.storage.log.index.AbortedTxn;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.OffsetNotAvailableException;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * What a partition answers to readers: fetches by consumers (up to the high watermark, or the last
 * stable offset for read_committed) and followers (up to the log end), where such a read would
 * stop, the aborted transactions of a read_committed range, ListOffsets and
 * OffsetsForLeaderEpoch. Each read checks the client's leader epoch and this replica's leadership.
 *
 * <p>Thread-safe: fetches take no lock (the log's reads are lock-free and the role fields
 * volatile); ListOffsets takes the leadership read lock.
 */
final class PartitionReads {

    private final ReplicaRole role;
    private final PartitionLog log;
    private final LogReader reader;
    private final HighWatermark highWatermark;
    private final ProducerStateManager producers;

    PartitionReads(ReplicaRole role, PartitionLog log, ProducerStateManager producers) {
        this.role = role;
        this.log = log;
        this.reader = log.reader();
        this.highWatermark = log.highWatermark();
        this.producers = producers;
    }

    FetchDataInfo read(
            long fetchOffset,
            int maxBytes,
            boolean forFollower,
            boolean readCommitted,
            boolean minOneMessage,
            Optional<Integer> currentLeaderEpoch) {
        role.checkLeaderOfEpoch(currentLeaderEpoch);
        long maxOffset = forFollower ? log.logEndOffset() : readCommitted ? lastStableOffset() : highWatermark.offset();
        return reader.read(fetchOffset, maxBytes, maxOffset, minOneMessage);
    }

    /**
     * The high watermark, or the first offset of the oldest open transaction when that is lower;
     * never below the log start offset. A transaction whose first batches retention or
     * DeleteRecords removed (its start known from the producer snapshot) holds readers at the log
     * start, as Kafka's {@code updateFirstUnstableOffset}: an offset below it would send a
     * read_committed consumer resetting to "latest" out of range.
     */
    long lastStableOffset() {
        long firstUnstable = Math.max(producers.firstUnstableOffset(), log.logStartOffset());
        return Math.min(firstUnstable, highWatermark.offset());
    }

    /** From the log's {@code .txnindex} files, so they survive a restart. */
    List<AbortedTxn> abortedTransactions(long fetchOffset, long upperBoundOffset) {
        return reader.collectAbortedTransactions(fetchOffset, upperBoundOffset);
    }

    LogOffsetMetadata readableEnd(boolean forFollower, boolean readCommitted, Optional<Integer> currentLeaderEpoch) {
        role.checkLeaderOfEpoch(currentLeaderEpoch);
        if (forFollower) {
            return log.logEndOffsetMetadata();
        }
        LogOffsetMetadata highWatermarkEnd = highWatermark.metadata();
        long lastStable = lastStableOffset();
        return readCommitted && lastStable < highWatermarkEnd.messageOffset()
                ? reader.offsetMetadata(lastStable)
                : highWatermarkEnd;
    }

    /**
     * ListOffsets, under the leadership read lock so that a replica taking over is seen either
     * before or after the whole change. As Kafka's {@code fetchOffsetForTimestamp}: a new leader's
     * high watermark is the one it had as a follower until its followers' next fetches move it, and
     * while that is below the start of its epoch, {@code LATEST} (and a timestamp whose record is not
     * yet below the high watermark) is {@code OFFSET_NOT_AVAILABLE}, which clients retry, rather
     * than an end offset that goes back in time.
     */
    Optional<TimestampAndOffset> offsetForTimestamp(
            long timestamp, boolean readCommitted, Optional<Integer> currentLeaderEpoch) {
        role.leadership.readLock().lock();
        try {
            role.checkLeaderOfEpoch(currentLeaderEpoch);
            long highWatermarkOffset = highWatermark.offset();
            long bound = readCommitted ? lastStableOffset() : highWatermarkOffset;
            Optional<TimestampAndOffset> found = LeaderOffsets.forTimestamp(log, role.leaderEpoch(), timestamp, bound);
            boolean earliest = timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
                    || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP;
            boolean unknown = timestamp == ListOffsetsRequest.LATEST_TIMESTAMP || found.isEmpty();
            long epochStart = role.leaderEpochStartOffset();
            if (!earliest && unknown && epochStart > highWatermarkOffset) {
                throw new OffsetNotAvailableException("Failed to fetch offsets for partition " + log.topicPartition()
                        + " with leader epoch " + role.leaderEpoch() + " as this partition's high watermark ("
                        + highWatermarkOffset
                        + ") is lagging behind the start offset from the beginning of this epoch ("
                        + epochStart + ").");
            }
            return found;
        } finally {
            role.leadership.readLock().unlock();
        }
    }

    EpochEndOffset endOffsetForEpoch(int requestedEpoch) {
        return EpochEndOffsets.endOffsetFor(log, role.isLeader() ? role.leaderEpoch() : -1, requestedEpoch);
    }
}
