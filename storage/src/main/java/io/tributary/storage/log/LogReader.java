package io.tributary.storage.log;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import io.tributary.storage.log.index.AbortedTxn;
import io.tributary.storage.log.index.TransactionIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * The read path of a partition log: fetches, offset-to-position lookups and timestamp searches
 * over its {@link LogSegments}, each bounded by a snapshot of the log end that the caller took
 * before starting.
 *
 * <p><b>Invariant:</b> nothing at or past the given end (offset, segment and byte position) is
 * ever read, so a read racing with an append never sees a batch whose bytes are not all written:
 * {@link PartitionLog} publishes a new end only after the bytes are in the file.
 *
 * <p><b>Thread-safety:</b> thread-safe and lock-free; holds no state besides the segment map.
 * A read racing with a truncation may find its end snapshot stale (a slice past the new end of
 * a file fails with {@link IllegalArgumentException}); the caller retries against the new end.
 * {@link KafkaException}s wrapping an {@link java.io.IOException} propagate, for the caller to
 * take the partition offline.
 */
final class LogReader {

    private final TopicPartition topicPartition;
    private final LogSegments segments;
    private final LeaderEpochFileCache leaderEpochCache;

    LogReader(TopicPartition topicPartition, LogSegments segments, LeaderEpochFileCache leaderEpochCache) {
        this.topicPartition = topicPartition;
        this.segments = segments;
        this.leaderEpochCache = leaderEpochCache;
    }

    /**
     * Whole batches from the one containing {@code startOffset}, at most {@code maxBytes} of them
     * (but at least one if {@code minOneMessage}), none with an offset at or above
     * {@code maxOffsetExclusive}; see {@link PartitionLog#read}.
     *
     * @throws OffsetOutOfRangeException if {@code startOffset} is below {@code logStartOffset} or above the end
     */
    FetchDataInfo read(
            LogOffsetMetadata end,
            long logStartOffset,
            long startOffset,
            int maxBytes,
            long maxOffsetExclusive,
            boolean minOneMessage) {
        if (startOffset == end.messageOffset()) {
            return FetchDataInfo.empty(end, logStartOffset, end.messageOffset());
        }
        if (startOffset > end.messageOffset() || startOffset < logStartOffset) {
            throw new OffsetOutOfRangeException("Received request for offset " + startOffset + " for partition "
                    + topicPartition + ", but we only have log segments from offset " + logStartOffset + " up to "
                    + end.messageOffset() + ".");
        }
        LogSegment segment = segments.floorSegment(startOffset);
        while (segment != null && segment.baseOffset() <= end.segmentBaseOffset()) {
            LogSegment next = segments.higherSegment(segment.baseOffset());
            boolean isEndSegment = segment.baseOffset() == end.segmentBaseOffset();
            int maxPosition = isEndSegment ? end.relativePositionInSegment() : segment.size();
            long segmentEnd = isEndSegment || next == null ? end.messageOffset() : next.baseOffset();
            FetchDataInfo info = segment.read(
                    startOffset,
                    maxBytes,
                    maxPosition,
                    maxOffsetExclusive,
                    segmentEnd,
                    minOneMessage,
                    logStartOffset,
                    end.messageOffset());
            if (info != null) {
                return info;
            }
            segment = next;
        }
        return FetchDataInfo.empty(end, logStartOffset, end.messageOffset());
    }

    /**
     * Where {@code offset} lives (see {@link PartitionLog#offsetMetadata}): {@code end} itself for
     * the end offset, {@link LogOffsetMetadata#unknown} outside [{@code logStartOffset}, end].
     */
    LogOffsetMetadata offsetMetadata(LogOffsetMetadata end, long logStartOffset, long offset) {
        if (offset == end.messageOffset()) {
            return end;
        }
        if (offset < logStartOffset || offset > end.messageOffset()) {
            return LogOffsetMetadata.unknown(offset);
        }
        LogSegment segment = segments.floorSegment(offset);
        while (segment != null && segment.baseOffset() <= end.segmentBaseOffset()) {
            FileRecords.LogOffsetPosition position = segment.translateOffset(offset, 0);
            if (position != null) {
                return new LogOffsetMetadata(offset, segment.baseOffset(), position.position);
            }
            segment = segments.higherSegment(segment.baseOffset());
        }
        return LogOffsetMetadata.unknown(offset);
    }

    /**
     * ListOffsets (see {@link PartitionLog#offsetForTimestamp}): the first record at or after
     * {@code logStartOffset} and below {@code logEndOffset} whose timestamp is at least
     * {@code timestamp}, or the answer to one of the special timestamps.
     */
    Optional<TimestampAndOffset> offsetForTimestamp(long timestamp, long logStartOffset, long logEndOffset) {
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP) {
            return Optional.of(new TimestampAndOffset(
                    RecordBatch.NO_TIMESTAMP, logStartOffset, boxed(leaderEpochCache.epochForOffset(logStartOffset))));
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            return Optional.of(new TimestampAndOffset(
                    RecordBatch.NO_TIMESTAMP, logEndOffset, boxed(leaderEpochCache.latestEpoch())));
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            return offsetOfMaxTimestamp(logStartOffset);
        }
        if (timestamp < 0) {
            return Optional.empty();
        }
        // segments are searched oldest first: the first one whose max timestamp reaches the target
        // holds the answer, unless its only such records lie below the log start offset
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestampSoFar() >= timestamp) {
                Optional<TimestampAndOffset> found = segment.findOffsetByTimestamp(timestamp, logStartOffset);
                if (found.isPresent()) {
                    return found.filter(f -> f.offset() < logEndOffset);
                }
            }
        }
        return Optional.empty();
    }

    /** The first record carrying the largest timestamp in the log, if any batch has a timestamp. */
    Optional<TimestampAndOffset> offsetOfMaxTimestamp(long logStartOffset) {
        LogSegment best = null;
        for (LogSegment segment : segments.values()) {
            if (best == null || segment.maxTimestampSoFar() > best.maxTimestampSoFar()) {
                best = segment;
            }
        }
        if (best == null || best.maxTimestampSoFar() < 0) {
            return Optional.empty();
        }
        return best.findOffsetByTimestamp(best.maxTimestampSoFar(), logStartOffset);
    }

    /**
     * The aborted transactions that overlap {@code [fetchOffset, upperBoundOffset)} (see
     * {@link PartitionLog#collectAbortedTransactions}), from the {@code .txnindex} files: an
     * entry sits in the segment of its ABORT marker, which is at or after {@code fetchOffset} when
     * it concerns the fetch, so the search starts at the segment holding {@code fetchOffset} and
     * stops at the first entry whose last stable offset reaches the bound (as Kafka's
     * {@code LocalLog.collectAbortedTransactions}).
     */
    List<AbortedTxn> collectAbortedTransactions(long fetchOffset, long upperBoundOffset) {
        List<AbortedTxn> found = new ArrayList<>();
        LogSegment segment = segments.floorSegment(fetchOffset);
        if (segment == null) {
            segment = segments.higherSegment(fetchOffset);
        }
        while (segment != null) {
            TransactionIndex.SearchResult result = segment.txnIndex().collectAbortedTxns(fetchOffset, upperBoundOffset);
            found.addAll(result.abortedTransactions());
            if (result.complete()) {
                break;
            }
            segment = segments.higherSegment(segment.baseOffset());
        }
        return found;
    }

    private static Optional<Integer> boxed(OptionalInt epoch) {
        return epoch.isPresent() ? Optional.of(epoch.getAsInt()) : Optional.empty();
    }
}
