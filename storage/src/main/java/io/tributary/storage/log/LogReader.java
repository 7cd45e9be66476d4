package io.tributary.storage.log;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import io.tributary.storage.log.index.AbortedTxn;
import io.tributary.storage.log.index.TransactionIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * The reads of a partition log, all lock-free: fetches ({@link #read}), the batches for rebuilding
 * producer state ({@link #batchesFrom}), ListOffsets ({@link #offsetForTimestamp},
 * {@link #offsetOfMaxTimestamp}), offset-to-position lookups ({@link #offsetMetadata}) and the
 * aborted transactions of a read_committed range ({@link #collectAbortedTransactions}). Obtained
 * from {@link PartitionLog#reader()}; the log's other calls take its lock, these never do.
 *
 * <p><b>Invariant:</b> each read is bounded by a snapshot of the log end taken when it starts, and
 * nothing at or past that end (offset, segment and byte position) is ever read, so a read racing
 * with an append never sees a batch whose bytes are not all written: {@link PartitionLog}
 * publishes a new end only after the bytes are in the file. The package-private methods do the
 * bounded work for a given end and log start offset; the public ones take the snapshot, check
 * that the log is online and open, and turn an I/O error into the partition going offline.
 *
 * <p><b>Thread-safety:</b> thread-safe and lock-free; holds no state of its own. A read racing
 * with a truncation may find its end snapshot stale (a slice past the new end of a file fails with
 * {@link IllegalArgumentException}): {@link #read} then reads again against the new end. Segments
 * a read may still be sending from are renamed and kept for {@code file.delete.delay.ms}, never
 * closed at once.
 */
public final class LogReader {

    private final TopicPartition topicPartition;
    private final LogSegments segments;
    private final LeaderEpochFileCache leaderEpochCache;
    private final LocalLog local;
    private final LogStartOffset logStartOffset;
    private final OfflineState offline;

    LogReader(
            TopicPartition topicPartition,
            LogSegments segments,
            LeaderEpochFileCache leaderEpochCache,
            LocalLog local,
            LogStartOffset logStartOffset,
            OfflineState offline) {
        this.topicPartition = topicPartition;
        this.segments = segments;
        this.leaderEpochCache = leaderEpochCache;
        this.local = local;
        this.logStartOffset = logStartOffset;
        this.offline = offline;
    }

    /**
     * Reads whole record batches starting with the batch that contains {@code startOffset}.
     *
     * @param maxBytes           byte limit of the answer
     * @param maxOffsetExclusive return no batch with an offset at or above this (pass the high
     *                           watermark for consumers, {@code Long.MAX_VALUE} for followers)
     * @param minOneMessage      return the first batch even if it alone exceeds {@code maxBytes} (KIP-74)
     * @return a zero-copy {@link FileRecords} slice; empty records if {@code startOffset} is the log
     *         end offset or nothing fits
     * @throws OffsetOutOfRangeException if {@code startOffset} is below the log start or above the log end
     * @throws KafkaStorageException     if the partition is offline
     */
    public FetchDataInfo read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneMessage) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("Negative maxBytes " + maxBytes + " for a read of " + topicPartition);
        }
        LogOffsetMetadata end = local.logEndOffsetMetadata();
        try {
            return guardedRead(end, startOffset, maxBytes, maxOffsetExclusive, minOneMessage);
        } catch (IllegalArgumentException e) {
            // the log was truncated under this read (a slice past the new end): read again against
            // the new end, which also turns a now-missing offset into out-of-range
            if (local.logEndOffsetMetadata() == end) {
                throw e;
            }
            return guardedRead(local.logEndOffsetMetadata(), startOffset, maxBytes, maxOffsetExclusive, minOneMessage);
        }
    }

    /** As {@link #guarded}, without a lambda on the fetch path. */
    private FetchDataInfo guardedRead(
            LogOffsetMetadata end, long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneMessage) {
        ensureOnline();
        try {
            return read(end, logStartOffset.get(), startOffset, maxBytes, maxOffsetExclusive, minOneMessage);
        } catch (KafkaException e) {
            throw offline.rethrowIfIo("read", e);
        }
    }

    /**
     * The batches from the one containing {@code startOffset} to the log end offset at the time
     * of the call, read lazily from the segment files (for rebuilding producer state). Each batch
     * loads its header on access and its records only when iterated.
     */
    public Iterable<RecordBatch> batchesFrom(long startOffset) {
        ensureOnline();
        LogOffsetMetadata end = local.logEndOffsetMetadata();
        long from = Math.max(startOffset, logStartOffset.get());
        return () -> new LogBatchIterator(segments, from, end);
    }

    /**
     * ListOffsets: the first record whose timestamp is at least {@code timestamp}, with its
     * timestamp and leader epoch; empty if there is none. Also answers the special timestamps
     * {@link ListOffsetsRequest#EARLIEST_TIMESTAMP} (log start offset),
     * {@link ListOffsetsRequest#LATEST_TIMESTAMP} (log end offset) and
     * {@link ListOffsetsRequest#MAX_TIMESTAMP} (see {@link #offsetOfMaxTimestamp()}). The timestamp
     * is -1 for the first two.
     */
    public Optional<TimestampAndOffset> offsetForTimestamp(long timestamp) {
        return guarded(
                "offsetForTimestamp", () -> offsetForTimestamp(timestamp, logStartOffset.get(), local.logEndOffset()));
    }

    /** ListOffsets MAX_TIMESTAMP: the first record carrying the largest timestamp in the log, if any. */
    public Optional<TimestampAndOffset> offsetOfMaxTimestamp() {
        return guarded("offsetOfMaxTimestamp", () -> offsetOfMaxTimestamp(logStartOffset.get()));
    }

    /**
     * Where {@code offset} lives: its segment and the position of the batch that contains it, for
     * fetch code that counts bytes between two offsets (e.g. from a fetch offset to the high
     * watermark). The log end offset maps to the end of the active segment; an offset outside
     * [log start, log end] maps to {@link LogOffsetMetadata#unknown}.
     */
    public LogOffsetMetadata offsetMetadata(long offset) {
        return guarded(
                "offsetMetadata", () -> offsetMetadata(local.logEndOffsetMetadata(), logStartOffset.get(), offset));
    }

    /** Runs a read; an I/O error in it takes the partition offline. */
    private <T> T guarded(String operation, Supplier<T> read) {
        ensureOnline();
        try {
            return read.get();
        } catch (KafkaException e) {
            throw offline.rethrowIfIo(operation, e);
        }
    }

    private void ensureOnline() {
        offline.ensureOnline();
        local.ensureOpen();
    }

    /**
     * Whole batches from the one containing {@code startOffset}, at most {@code maxBytes} of them
     * (but at least one if {@code minOneMessage}), none with an offset at or above
     * {@code maxOffsetExclusive}; see {@link #read(long, int, long, boolean)}.
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
     * Where {@code offset} lives (see {@link #offsetMetadata(long)}): {@code end} itself for
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
     * ListOffsets (see {@link #offsetForTimestamp(long)}): the first record at or after
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
     * The aborted transactions a read_committed fetch of {@code [fetchOffset, upperBoundOffset)}
     * must skip (and the log cleaner drops), from the segments' {@code .txnindex} files: every
     * transaction whose ABORT marker is at or after {@code fetchOffset} and whose first record is
     * below the bound. An entry sits in the segment of its ABORT marker, so the search starts at
     * the segment holding {@code fetchOffset} and stops at the first entry whose last stable
     * offset reaches the bound (as Kafka's {@code LocalLog.collectAbortedTransactions}).
     */
    public List<AbortedTxn> collectAbortedTransactions(long fetchOffset, long upperBoundOffset) {
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
