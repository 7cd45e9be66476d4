package io.tributary.storage.log;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The log of one partition replica: an ordered set of {@link LogSegment}s in one directory
 * ({@code {topic}-{partition}}), of which the last is the active one that takes appends.
 *
 * <p><b>On disk:</b> the segment files (see {@link LogSegment}), {@code leader-epoch-checkpoint}
 * (see {@link LeaderEpochFileCache}), and segments renamed {@code *.deleted} for
 * {@code file.delete.delay.ms} before they are removed. The log start offset, recovery point and
 * high watermark are not stored here: {@link LogManager} checkpoints them per log directory.
 *
 * <p><b>Crash behaviour:</b> appends go to the page cache and are fsynced by
 * {@code flush.messages}/{@code flush.ms} (by default never explicitly, as in Kafka), by a
 * background flush of the previous segments at every roll, and by {@link #flush()}/{@link #close()}.
 * Everything below the recovery point is on disk. After an unclean stop the segments at or past
 * the recovery point are rescanned: a torn or corrupt tail is truncated at the last valid batch
 * and the indexes are rebuilt (see {@link LogLoader}).
 *
 * <p><b>Faults:</b> an {@link IOException} takes the partition offline: it is logged once at
 * ERROR with the directory, and this and every later call throw {@link KafkaStorageException}
 * rather than serve data that may be wrong.
 *
 * <p><b>Structure:</b> this class takes the lock, checks the log is online and coordinates; the
 * jobs are done by {@link LocalLog} (the segment files, log end and recovery point: write, roll,
 * truncate, flush, delete), {@link LogSegments} (the offset-to-segment map), {@link LogLoader}
 * (opening and recovery), {@link AppendValidator} (an append's checks), {@link LogAppender} (the
 * write path, with {@link AppendStamper} rewriting batch headers), {@link LogFlusher} (the flush
 * policy), {@link LogTruncation} (replication's truncations and the state that follows them),
 * {@link LogStartOffset} and {@link OfflineState} (the I/O error that took the partition offline).
 * Three parts are public and handed out as they are: {@link #reader()} (the lock-free reads),
 * {@link #highWatermark()} (replication's high watermark) and {@link #retention()} (the retention
 * run and DeleteRecords); the leader-epoch queries go to {@link #leaderEpochCache()}. The log
 * cleaner ({@code io.tributary.storage.log.cleaner}) reads inactive segments without the lock and
 * swaps its cleaned segments in under it ({@link #replaceSegments}).
 *
 * <p><b>Thread-safety:</b> thread-safe. Appends, truncation, roll, retention and close run under
 * the log's lock. Reads ({@link LogReader}) take no lock: they read up to a snapshot of the log
 * end taken when they start, which is published only after the bytes are written, so they never
 * see a partial batch. Segments they may still be sending from are renamed and kept for
 * {@code file.delete.delay.ms}, never closed at once.
 */
public final class PartitionLog implements AutoCloseable {

    private final Object lock = new Object();
    private final File dir;
    private final TopicPartition topicPartition;
    private final Clock clock;
    private final LocalLog local;
    private final LogSegments segments;
    private final LogReader reader;
    private final OfflineState offline;
    private final LeaderEpochFileCache leaderEpochCache;
    private final HighWatermark highWatermark;
    private final LogLoadInfo loadInfo;
    private final TransactionTracker transactions;

    private final LogStartOffset logStartOffset;
    private final LogFlusher flusher;
    private final LogAppender appender;
    private final LogTruncation truncation;
    private final LogRetention retention;

    private volatile LogConfig config;

    private PartitionLog(
            File dir,
            TopicPartition topicPartition,
            LogConfig config,
            Clock clock,
            ScheduledExecutorService scheduler,
            LogLoader.Loaded loaded) {
        this.dir = dir;
        this.topicPartition = topicPartition;
        this.config = config;
        this.clock = clock;
        this.segments = loaded.segments();
        this.local = new LocalLog(
                dir, topicPartition, clock, scheduler, segments, loaded.logEndOffset(), loaded.recoveryPoint());
        this.leaderEpochCache = loaded.leaderEpochCache();
        this.logStartOffset = new LogStartOffset(topicPartition, leaderEpochCache, loaded.logStartOffset());
        this.offline = new OfflineState(topicPartition, dir, logStartOffset::get, local::logEndOffset);
        this.reader = new LogReader(topicPartition, segments, leaderEpochCache, local, logStartOffset, offline);
        this.flusher = new LogFlusher(topicPartition, lock, local, leaderEpochCache, offline, scheduler, clock);
        this.transactions = loaded.transactions();
        this.appender =
                new LogAppender(topicPartition, dir, clock, local, leaderEpochCache, flusher, offline, transactions);
        this.loadInfo = loaded.info();
        this.highWatermark = new HighWatermark(
                logStartOffset.get(), lock, local::logEndOffsetMetadata, logStartOffset::get, reader::offsetMetadata);
        this.truncation =
                new LogTruncation(local, transactions, leaderEpochCache, logStartOffset, highWatermark, offline);
        this.retention = new LogRetention(lock, local, logStartOffset, highWatermark, offline, this::config, clock);
    }

    /**
     * Opens (creating if needed) the log in {@code dir}, whose name must be {@code {topic}-{partition}}.
     *
     * @param logStartOffset   the checkpointed log start offset (0 if none)
     * @param recoveryPoint    the checkpointed recovery point: offsets below it are known to be on disk
     * @param hadCleanShutdown true if the previous stop flushed everything (no rescan needed)
     * @param scheduler        runs delayed file deletion and the flush after a roll
     * @throws KafkaStorageException if the directory cannot be read or written
     */
    public static PartitionLog open(
            File dir,
            LogConfig config,
            long logStartOffset,
            long recoveryPoint,
            boolean hadCleanShutdown,
            ScheduledExecutorService scheduler,
            Clock clock) {
        TopicPartition tp = LogFileNames.parseTopicPartition(dir.toPath())
                .orElseThrow(() ->
                        new IllegalArgumentException("Not a partition directory name ({topic}-{partition}): " + dir));
        try {
            LogLoader.Loaded loaded =
                    LogLoader.load(dir, config, logStartOffset, recoveryPoint, hadCleanShutdown, clock);
            return new PartitionLog(dir, tp, config, clock, scheduler, loaded);
        } catch (IOException | UncheckedIOException e) {
            throw new KafkaStorageException(
                    "Failed to load log " + tp + " from " + dir.getAbsolutePath() + ": " + e, e);
        }
    }

    /** Opens {@code dir} as if after an unclean stop with nothing checkpointed: every segment is rescanned. */
    public static PartitionLog open(File dir, LogConfig config, ScheduledExecutorService scheduler, Clock clock) {
        return open(dir, config, 0L, 0L, false, scheduler, clock);
    }

    // ------------------------------------------------------------------------------------------
    // Appends

    /**
     * Validates {@code records} and appends them as the partition leader: assigns consecutive
     * offsets from the log end and writes {@code leaderEpoch} into every batch header (both fields
     * are outside the CRC, so the batches are not re-checksummed). Nothing is written unless every
     * batch passes.
     *
     * <p>The batch headers of {@code records} are rewritten in place. {@code records} must own its
     * buffer: copy a view of a network buffer before calling, and do not release it until this
     * returns.
     *
     * @throws UnsupportedForMessageFormatException a batch has magic below 2
     * @throws RecordTooLargeException              a batch is larger than {@code max.message.bytes}
     * @throws RecordBatchTooLargeException         all batches together exceed {@code segment.bytes}
     * @throws CorruptRecordException               a batch fails its size or CRC check, or bytes trail the last batch
     * @throws InvalidRecordException               a batch's record count disagrees with its offset delta
     * @throws KafkaStorageException                the partition is offline
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch) {
        return append(records, leaderEpoch, true);
    }

    /**
     * Appends batches fetched from the leader as they are, keeping their offsets and leader
     * epochs. They must start at the log end offset and have increasing offsets.
     *
     * @throws UnexpectedAppendOffsetException the first offset is not the log end offset or offsets do not increase
     * @see #appendAsLeader for the validation exceptions
     */
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        return append(records, RecordBatch.NO_PARTITION_LEADER_EPOCH, false);
    }

    private LogAppendInfo append(MemoryRecords records, int leaderEpoch, boolean assignOffsets) {
        ensureOnline();
        AppendValidator.Validated validated =
                AppendValidator.validate(records, assignOffsets, config, topicPartition, clock.millis());
        if (validated.shallowCount() == 0) {
            return new LogAppendInfo(-1, -1, RecordBatch.NO_TIMESTAMP, -1, 0, 0, logStartOffset.get());
        }
        LogAppendInfo info;
        LogConfig appendConfig;
        synchronized (lock) {
            ensureOnline();
            appendConfig = config;
            info = appender.append(records, validated, leaderEpoch, assignOffsets, appendConfig, logStartOffset.get());
        }
        // flush.messages: the fsync runs after the lock, as a background flush does, so that it
        // holds up neither the high watermark nor reads of the log's state; the caller (and its
        // acknowledgement) still waits for it
        flusher.maybeFlushAfterAppend(info.lastOffset() + 1, appendConfig);
        return info;
    }

    /**
     * Starts a new active segment at the log end offset, unless the active segment is empty. The
     * previous segments are flushed in the background, which advances the recovery point.
     */
    public LogSegment roll() {
        synchronized (lock) {
            ensureOnline();
            return appender.roll(config);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reads, offsets and the high watermark

    /** The lock-free reads: fetches, ListOffsets, offset positions, aborted transactions; see {@link LogReader}. */
    public LogReader reader() {
        return reader;
    }

    /** The high watermark kept for the replication layer; checkpointed by {@link LogManager}. */
    public HighWatermark highWatermark() {
        return highWatermark;
    }

    /** The first offset served; see {@link LogStartOffset}. */
    public long logStartOffset() {
        return logStartOffset.get();
    }

    public long logEndOffset() {
        return local.logEndOffset();
    }

    /** The log end offset with its segment and position. */
    public LogOffsetMetadata logEndOffsetMetadata() {
        return local.logEndOffsetMetadata();
    }

    /** Offsets below this are known to be on disk. */
    public long recoveryPoint() {
        return local.recoveryPoint();
    }

    // ------------------------------------------------------------------------------------------
    // Truncation, retention and the cleaner

    /**
     * Removes every record at or above {@code targetOffset} (replication: a follower truncates to
     * the leader's epoch boundary). If {@code targetOffset} falls inside a batch, that whole batch
     * goes and the log end becomes its base offset. Nothing happens if it is at or above the log end.
     *
     * @return true if anything was removed
     */
    public boolean truncateTo(long targetOffset) {
        if (targetOffset < 0) {
            throw new IllegalArgumentException(
                    "Cannot truncate " + topicPartition + " to negative offset " + targetOffset);
        }
        synchronized (lock) {
            ensureOnline();
            return truncation.truncateTo(targetOffset, config);
        }
    }

    /**
     * Deletes every segment and restarts the log empty at {@code newOffset}, which becomes the log
     * start, log end, recovery point and high watermark. Clears the leader-epoch cache.
     */
    public void truncateFullyAndStartAt(long newOffset) {
        if (newOffset < 0) {
            throw new IllegalArgumentException("Cannot restart " + topicPartition + " at negative offset " + newOffset);
        }
        synchronized (lock) {
            ensureOnline();
            truncation.truncateFullyAndStartAt(newOffset, config);
        }
    }

    /** Retention and DeleteRecords: the deletion of the oldest records; see {@link LogRetention}. */
    public LogRetention retention() {
        return retention;
    }

    /**
     * The first offset of the oldest transaction open in this log, {@link Long#MAX_VALUE} when none
     * is: the log cleaner works only below it (and the high watermark).
     */
    public long firstUnstableOffset() {
        return transactions.firstUnstableOffset();
    }

    /** How many truncations this log has seen; a cleaner passes it back to {@link #replaceSegments}. */
    public long truncations() {
        return truncation.count();
    }

    /**
     * The log cleaner's swap: puts {@code cleaned}, segments written with the
     * {@link LogFileNames#CLEANED_FILE_SUFFIX} and flushed, in the place of {@code old}, a run of
     * consecutive inactive segments starting at the first cleaned one's base offset (see
     * {@code LocalLog.replaceSegments} for the crash-safe order). Refused, so that the caller
     * deletes its files, if the log changed under the cleaning: a truncation since
     * {@code expectedTruncations}, or an old segment already gone (retention) or now active.
     *
     * @return true if the segments were replaced
     */
    public boolean replaceSegments(List<LogSegment> cleaned, List<LogSegment> old, long expectedTruncations) {
        synchronized (lock) {
            ensureOnline();
            if (truncation.count() != expectedTruncations
                    || !old.stream().allMatch(segments::contains)
                    || old.contains(segments.activeSegment())) {
                return false;
            }
            try {
                local.replaceSegments(cleaned, old, config);
                return true;
            } catch (IOException | UncheckedIOException e) {
                throw offline.markOffline("replaceSegments", e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Flush, config, lifecycle

    /** fsyncs everything up to the log end offset and moves the recovery point there; see {@link LogFlusher}. */
    public void flush() {
        flusher.flushUpTo(logEndOffset());
    }

    /** Flushes if {@code flush.ms} has passed since the last flush; called by the scheduler. */
    public void flushIfDue() {
        flusher.flushIfDue(config);
    }

    /** Applies new topic configuration; index sizes take effect at the next roll. */
    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    public LogConfig config() {
        return config;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public File dir() {
        return dir;
    }

    public LeaderEpochFileCache leaderEpochCache() {
        return leaderEpochCache;
    }

    /** What loading the log found (segments rescanned, bytes truncated). */
    public LogLoadInfo loadInfo() {
        return loadInfo;
    }

    /** Total bytes of all segments. */
    public long size() {
        return segments.sizeInBytes();
    }

    public int numberOfSegments() {
        return segments.numberOfSegments();
    }

    /** Base offsets of the segments, oldest first. */
    public List<Long> segmentBaseOffsets() {
        return segments.baseOffsets();
    }

    /** The segments, oldest first (a snapshot). */
    public List<LogSegment> segments() {
        return segments.snapshot();
    }

    public boolean isOffline() {
        return offline.isOffline();
    }

    /** Flushes, writes the final time index entries, trims the indexes and closes the files. */
    @Override
    public void close() {
        synchronized (lock) {
            if (local.isClosed()) {
                return;
            }
            try {
                if (!offline.isOffline()) {
                    flush();
                    leaderEpochCache.flushIfDirty();
                }
            } finally {
                local.close();
            }
        }
    }

    /** Closes the files without flushing or trimming, as a crash would leave them (tests). */
    void closeHandlers() {
        synchronized (lock) {
            local.closeHandlers();
        }
    }

    private void ensureOnline() {
        offline.ensureOnline();
        local.ensureOpen();
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", dir=" + dir + ", logStartOffset=" + logStartOffset.get()
                + ", logEndOffset=" + logEndOffset() + ")";
    }
}
