package io.tributary.storage.log;

import java.io.File;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file half of a partition log, as Kafka splits {@code LocalLog} from {@code UnifiedLog}: the
 * {@link LogSegments} of one directory, the published log end and the recovery point, and the
 * operations that change the files: writing appended bytes, rolling, truncating, deleting
 * segments, flushing and closing. It knows nothing of leader epochs, the log start offset, the
 * high watermark or retention; {@link PartitionLog} decides and this class carries it out.
 *
 * <p><b>Invariants:</b> the log end is published (a volatile write) only after the bytes below
 * it are in the active segment's file, and it always lies in the active segment; every offset
 * below the recovery point is fsynced; the recovery point never exceeds the log end.
 *
 * <p><b>Crash behaviour:</b> a crash mid-roll may leave an empty newer segment, or files of it,
 * which the next roll at the same offset deletes first; a crash mid-truncation leaves files
 * {@link LogLoader} recovers; dropped segments follow {@link SegmentDeleter}; a crash in a cleaner
 * swap leaves {@code .cleaned} or {@code .swap} files that LogLoader deletes or completes (see
 * {@link #replaceSegments}).
 *
 * <p><b>Thread-safety:</b> not thread-safe for changes: every method that changes state is
 * called under the owning {@link PartitionLog}'s lock, except {@link #flushSegments}, which only
 * fsyncs and may run on a scheduler thread. The accessors are safe from any thread.
 * {@link IOException}s propagate for the caller to take the partition offline.
 */
final class LocalLog {

    private static final Logger LOG = LoggerFactory.getLogger(LocalLog.class);

    private final File dir;
    private final TopicPartition topicPartition;
    private final Clock clock;
    private final LogSegments segments;
    private final SegmentDeleter deleter;

    private volatile LogOffsetMetadata logEndOffsetMetadata;
    private volatile long recoveryPoint;
    private volatile long lastFlushTimeMs;
    private volatile boolean closed;

    LocalLog(
            File dir,
            TopicPartition topicPartition,
            Clock clock,
            ScheduledExecutorService scheduler,
            LogSegments segments,
            long logEndOffset,
            long recoveryPoint) {
        this.dir = dir;
        this.topicPartition = topicPartition;
        this.clock = clock;
        this.segments = segments;
        this.deleter = new SegmentDeleter(topicPartition, scheduler);
        LogSegment active = segments.activeSegment();
        this.logEndOffsetMetadata = new LogOffsetMetadata(logEndOffset, active.baseOffset(), active.size());
        this.recoveryPoint = recoveryPoint;
        this.lastFlushTimeMs = clock.millis();
    }

    LogSegments segments() {
        return segments;
    }

    TopicPartition topicPartition() {
        return topicPartition;
    }

    File dir() {
        return dir;
    }

    /** The published log end: offset, active segment and the byte position after its last batch. */
    LogOffsetMetadata logEndOffsetMetadata() {
        return logEndOffsetMetadata;
    }

    long logEndOffset() {
        return logEndOffsetMetadata.messageOffset();
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    long lastFlushTimeMs() {
        return lastFlushTimeMs;
    }

    boolean isClosed() {
        return closed;
    }

    /** @throws KafkaStorageException if the log is closed */
    void ensureOpen() {
        if (closed) {
            throw new KafkaStorageException(
                    "Log of partition " + topicPartition + " in " + dir.getAbsolutePath() + " is closed");
        }
    }

    /**
     * Writes {@code records}, whose offsets are assigned and start at the log end, to
     * {@code segment} (the active one) and then publishes the new end {@code lastOffset + 1}.
     */
    void append(LogSegment segment, MemoryRecords records, long lastOffset) throws IOException {
        segment.append(records);
        logEndOffsetMetadata = new LogOffsetMetadata(lastOffset + 1, segment.baseOffset(), segment.size());
    }

    /**
     * Starts a new active segment at the log end offset, unless the active segment is empty and
     * already starts there. The previous active segment gets its final time index entry and its
     * indexes trimmed; it is not flushed here.
     *
     * @return the active segment after the call
     */
    LogSegment roll(LogConfig config) throws IOException {
        LogSegment active = segments.activeSegment();
        long newBase = logEndOffset();
        if (active.size() == 0 && active.baseOffset() == newBase) {
            return active;
        }
        active.onBecomeInactiveSegment();
        for (File leftover : LogFileNames.segmentFiles(dir, newBase)) {
            // from a crash after an earlier roll at this offset, or a truncation back below it
            if (leftover.exists()) {
                LOG.warn("Deleting leftover {} before rolling {} at offset {}", leftover, topicPartition, newBase);
                Files.delete(leftover.toPath());
            }
        }
        LogSegment segment = LogSegment.open(dir, newBase, config, clock, false);
        segments.add(segment);
        logEndOffsetMetadata = new LogOffsetMetadata(newBase, newBase, 0);
        LOG.info(
                "Rolled new segment {} of {} in {} (previous segment {} bytes)",
                newBase,
                topicPartition,
                dir,
                active.size());
        return segment;
    }

    /**
     * Removes every batch from the one containing {@code targetOffset} on: drops the segments
     * above it and truncates the one holding it, which becomes the active segment. The caller
     * ensures that {@code targetOffset} lies in [first base offset, log end).
     *
     * @return the new log end offset (the base offset of the batch that held {@code targetOffset})
     */
    long truncateTo(long targetOffset, LogConfig config) throws IOException {
        LOG.info(
                "Truncating {} in {} to offset {} (log end offset {})",
                topicPartition,
                dir,
                targetOffset,
                logEndOffset());
        deleteSegments(segments.segmentsAbove(targetOffset), "truncation to " + targetOffset, config);
        LogSegment active = segments.activeSegment();
        active.truncateTo(targetOffset);
        long newEnd = active.readNextOffset();
        logEndOffsetMetadata = new LogOffsetMetadata(newEnd, active.baseOffset(), active.size());
        recoveryPoint = Math.min(recoveryPoint, newEnd);
        return newEnd;
    }

    /** Drops every segment and starts one empty segment at {@code newOffset}, the new end and recovery point. */
    void truncateFullyAndStartAt(long newOffset, LogConfig config) throws IOException {
        LOG.info("Truncating {} in {} fully and restarting at offset {}", topicPartition, dir, newOffset);
        deleteSegments(segments.snapshot(), "full truncation", config);
        segments.add(LogSegment.open(dir, newOffset, config, clock, false));
        logEndOffsetMetadata = new LogOffsetMetadata(newOffset, newOffset, 0);
        recoveryPoint = newOffset;
    }

    /** Removes {@code toDelete} from the log and hands them to the {@link SegmentDeleter}. */
    void deleteSegments(List<LogSegment> toDelete, String reason, LogConfig config) throws IOException {
        toDelete.forEach(segments::remove);
        deleter.deleteLater(toDelete, reason, config.fileDeleteDelayMs());
    }

    /**
     * Puts the cleaned segments {@code cleaned} (files ending in {@code .cleaned}, flushed) in the
     * place of {@code old}, crash-safely as Kafka's {@code LocalLog.replaceSegments}: the cleaned
     * files are renamed {@code .swap}; the new segments enter the map (replacing the old one with
     * the same base offset) before the others leave it, so a lock-free reader never finds a hole;
     * the old segments are renamed {@code .deleted} for the {@link SegmentDeleter}; last the
     * {@code .swap} suffix is dropped. A crash anywhere leaves either {@code .cleaned} files
     * ({@link LogLoader} deletes them: the old segments are intact) or {@code .swap} files
     * (LogLoader completes the swap), and every offset range is held by the old or the new files.
     */
    void replaceSegments(List<LogSegment> cleaned, List<LogSegment> old, LogConfig config) throws IOException {
        for (int i = cleaned.size() - 1; i >= 0; i--) {
            cleaned.get(i).files().changeSuffixes(LogFileNames.CLEANED_FILE_SUFFIX, LogFileNames.SWAP_FILE_SUFFIX);
        }
        Utils.flushDir(dir.toPath());
        cleaned.forEach(segments::add);
        List<Long> newBases = cleaned.stream().map(LogSegment::baseOffset).toList();
        for (LogSegment segment : old) {
            if (!newBases.contains(segment.baseOffset())) {
                segments.remove(segment);
            }
        }
        deleter.deleteLater(old, "replaced by cleaned segments " + newBases, config.fileDeleteDelayMs());
        for (LogSegment segment : cleaned) {
            segment.files().changeSuffixes(LogFileNames.SWAP_FILE_SUFFIX, "");
        }
        Utils.flushDir(dir.toPath());
    }

    /**
     * fsyncs the segments that hold offsets in [recovery point, {@code offset}); does not move
     * the recovery point (see {@link #markFlushed}). A segment dropped or closed meanwhile has
     * nothing left to flush and is skipped.
     */
    void flushSegments(long offset) throws IOException {
        for (LogSegment segment : segments.range(recoveryPoint, offset)) {
            try {
                segment.flush();
            } catch (ClosedChannelException e) {
                if (!closed && segments.contains(segment)) {
                    throw e;
                }
            }
        }
    }

    /** Moves the recovery point up to {@code offset} after a flush; never moves it down. */
    void markFlushed(long offset) {
        if (offset > recoveryPoint) {
            recoveryPoint = offset;
            lastFlushTimeMs = clock.millis();
        }
    }

    /** Writes the final time index entries, trims the indexes and closes every segment. */
    void close() {
        closed = true;
        for (LogSegment segment : segments.values()) {
            try {
                segment.close();
            } catch (IOException e) {
                LOG.warn("Failed to close segment {} of {}", segment, topicPartition, e);
            }
        }
    }

    /** Closes the files without flushing or trimming, as a crash would leave them (tests). */
    void closeHandlers() {
        closed = true;
        segments.closeHandlers();
    }
}
