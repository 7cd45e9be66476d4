package io.tributary.storage.log;

import io.tributary.storage.log.epoch.EpochEndOffset;
import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p><b>Thread-safety:</b> thread-safe. Appends, truncation, roll, retention and close run under
 * the log's lock. Reads ({@link #read}, {@link #offsetForTimestamp}, {@link #batchesFrom}) take no
 * lock: they read up to a snapshot of the log end taken when they start, which is published only
 * after the bytes are written, so they never see a partial batch. Segments they may still be
 * sending from are renamed and kept for {@code file.delete.delay.ms}, never closed at once.
 */
public final class PartitionLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final Object lock = new Object();
    private final File dir;
    private final TopicPartition topicPartition;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final LeaderEpochFileCache leaderEpochCache;
    private final LogLoadInfo loadInfo;

    private volatile LogConfig config;
    private volatile LogOffsetMetadata logEndOffsetMetadata;
    private volatile long logStartOffset;
    /** The high watermark; its segment and position are filled in on first use (see {@link #highWatermarkMetadata}). */
    private final AtomicReference<LogOffsetMetadata> highWatermark = new AtomicReference<>();

    private volatile long recoveryPoint;
    private volatile long lastFlushTimeMs;
    private volatile KafkaStorageException offlineCause;
    private volatile boolean closed;

    private PartitionLog(
            File dir,
            TopicPartition topicPartition,
            LogConfig config,
            Clock clock,
            ScheduledExecutorService scheduler,
            LogLoader.Loaded loaded,
            long logStartOffset,
            LeaderEpochFileCache leaderEpochCache) {
        this.dir = dir;
        this.topicPartition = topicPartition;
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.segments = loaded.segments();
        this.loadInfo = loaded.info();
        this.leaderEpochCache = leaderEpochCache;
        LogSegment active = segments.lastEntry().getValue();
        this.logEndOffsetMetadata = new LogOffsetMetadata(loaded.logEndOffset(), active.baseOffset(), active.size());
        this.logStartOffset = Math.min(Math.max(logStartOffset, segments.firstKey()), loaded.logEndOffset());
        this.recoveryPoint = loaded.recoveryPoint();
        setHighWatermark(this.logStartOffset);
        this.lastFlushTimeMs = clock.millis();
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
            LeaderEpochFileCache cache = new LeaderEpochFileCache(
                    tp.toString(), new File(dir, LogFileNames.LEADER_EPOCH_CHECKPOINT_FILE).toPath());
            PartitionLog log = new PartitionLog(dir, tp, config, clock, scheduler, loaded, logStartOffset, cache);
            cache.truncateFromEnd(log.logEndOffset());
            cache.truncateFromStart(log.logStartOffset());
            LOG.info(
                    "Loaded log {} from {}: {} segments, log start offset {}, log end offset {}, {} segments "
                            + "recovered, {} bytes truncated",
                    tp,
                    dir,
                    loaded.info().segments(),
                    log.logStartOffset,
                    log.logEndOffset(),
                    loaded.info().segmentsRecovered(),
                    loaded.info().bytesTruncated());
            return log;
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
        AppendValidator.Validated validated = AppendValidator.validate(records, assignOffsets, config, topicPartition);
        if (validated.shallowCount() == 0) {
            return new LogAppendInfo(-1, -1, RecordBatch.NO_TIMESTAMP, -1, 0, 0, logStartOffset);
        }
        synchronized (lock) {
            ensureOnline();
            try {
                long endOffset = logEndOffsetMetadata.messageOffset();
                long firstOffset;
                long lastOffset;
                if (assignOffsets) {
                    firstOffset = endOffset;
                    lastOffset = endOffset + validated.offsetCount() - 1;
                } else {
                    firstOffset = validated.firstOffset();
                    lastOffset = validated.lastOffset();
                    if (firstOffset != endOffset) {
                        throw new UnexpectedAppendOffsetException(
                                "Follower append to " + topicPartition + " in " + dir
                                        + " starts at offset " + firstOffset + " but the log end offset is " + endOffset
                                        + " (records " + firstOffset + ".." + lastOffset + ")",
                                firstOffset,
                                endOffset);
                    }
                }
                LogSegment segment = maybeRoll(validated.validBytes(), validated.maxTimestamp(), lastOffset);
                long maxTimestamp = RecordBatch.NO_TIMESTAMP;
                long offsetOfMaxTimestamp = -1;
                long next = firstOffset;
                for (MutableRecordBatch batch : records.batches()) {
                    if (assignOffsets) {
                        batch.setLastOffset(next + (batch.lastOffset() - batch.baseOffset()));
                        batch.setPartitionLeaderEpoch(leaderEpoch);
                    }
                    next = batch.lastOffset() + 1;
                    if (batch.maxTimestamp() > maxTimestamp) {
                        maxTimestamp = batch.maxTimestamp();
                        offsetOfMaxTimestamp = batch.lastOffset();
                    }
                    int epoch = batch.partitionLeaderEpoch();
                    if (epoch >= 0) {
                        OptionalInt latest = leaderEpochCache.latestEpoch();
                        if (latest.isEmpty() || epoch > latest.getAsInt()) {
                            leaderEpochCache.assign(epoch, batch.baseOffset());
                        }
                    }
                }
                try {
                    segment.append(records);
                } catch (RuntimeException e) {
                    // bytes may be on disk without a published end: never serve from this state
                    throw markOffline("append", e);
                }
                logEndOffsetMetadata = new LogOffsetMetadata(lastOffset + 1, segment.baseOffset(), segment.size());
                if (lastOffset + 1 - recoveryPoint >= config.flushMessages()) {
                    flushUpTo(lastOffset + 1);
                }
                return new LogAppendInfo(
                        firstOffset,
                        lastOffset,
                        maxTimestamp,
                        offsetOfMaxTimestamp,
                        validated.shallowCount(),
                        validated.validBytes(),
                        logStartOffset);
            } catch (IOException | UncheckedIOException e) {
                throw markOffline("append", e);
            }
        }
    }

    private LogSegment maybeRoll(int messagesSize, long maxTimestamp, long maxOffset) throws IOException {
        LogSegment active = segments.lastEntry().getValue();
        if (active.shouldRoll(messagesSize, maxTimestamp, maxOffset, clock.millis(), config)) {
            return roll();
        }
        return active;
    }

    /**
     * Starts a new active segment at the log end offset, unless the active segment is empty. The
     * previous segments are flushed in the background, which advances the recovery point.
     */
    public LogSegment roll() {
        synchronized (lock) {
            ensureOnline();
            try {
                LogSegment active = segments.lastEntry().getValue();
                long newBase = logEndOffsetMetadata.messageOffset();
                if (active.size() == 0 && active.baseOffset() == newBase) {
                    return active;
                }
                active.onBecomeInactiveSegment();
                for (File leftover : List.of(
                        LogFileNames.logFile(dir, newBase),
                        LogFileNames.offsetIndexFile(dir, newBase),
                        LogFileNames.timeIndexFile(dir, newBase))) {
                    if (leftover.exists()) {
                        LOG.warn(
                                "Deleting leftover {} before rolling {} at offset {}",
                                leftover,
                                topicPartition,
                                newBase);
                        java.nio.file.Files.delete(leftover.toPath());
                    }
                }
                LogSegment segment = LogSegment.open(dir, newBase, config, clock, false);
                segments.put(newBase, segment);
                logEndOffsetMetadata = new LogOffsetMetadata(newBase, newBase, 0);
                LOG.info(
                        "Rolled new segment {} of {} in {} (previous segment {} bytes)",
                        newBase,
                        topicPartition,
                        dir,
                        active.size());
                schedule(() -> flushUpTo(newBase), 0);
                return segment;
            } catch (IOException e) {
                throw markOffline("roll", e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reads

    /**
     * Reads whole record batches starting with the batch that contains {@code startOffset}.
     *
     * @param maxBytes           byte limit of the answer
     * @param maxOffsetExclusive return no batch with an offset at or above this (pass the high
     *                           watermark for consumers, {@code Long.MAX_VALUE} for followers)
     * @param minOneMessage      return the first batch even if it alone exceeds {@code maxBytes} (KIP-74)
     * @return a zero-copy {@link org.apache.kafka.common.record.FileRecords} slice; empty records if
     *         {@code startOffset} is the log end offset or nothing fits
     * @throws OffsetOutOfRangeException if {@code startOffset} is below the log start or above the log end
     * @throws KafkaStorageException     if the partition is offline
     */
    public FetchDataInfo read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneMessage) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("Negative maxBytes " + maxBytes + " for a read of " + topicPartition);
        }
        LogOffsetMetadata end = logEndOffsetMetadata;
        try {
            return read(end, startOffset, maxBytes, maxOffsetExclusive, minOneMessage);
        } catch (IllegalArgumentException e) {
            // the log was truncated under this lock-free read (a slice past the new end): read
            // again against the new end, which also turns a now-missing offset into out-of-range
            if (logEndOffsetMetadata == end) {
                throw e;
            }
            return read(logEndOffsetMetadata, startOffset, maxBytes, maxOffsetExclusive, minOneMessage);
        }
    }

    private FetchDataInfo read(
            LogOffsetMetadata end, long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneMessage) {
        ensureOnline();
        long start = logStartOffset;
        if (startOffset == end.messageOffset()) {
            return FetchDataInfo.empty(end, start, end.messageOffset());
        }
        if (startOffset > end.messageOffset() || startOffset < start) {
            throw new OffsetOutOfRangeException("Received request for offset " + startOffset + " for partition "
                    + topicPartition + ", but we only have log segments from offset " + start + " up to "
                    + end.messageOffset() + ".");
        }
        try {
            Map.Entry<Long, LogSegment> entry = segments.floorEntry(startOffset);
            while (entry != null && entry.getKey() <= end.segmentBaseOffset()) {
                LogSegment segment = entry.getValue();
                Map.Entry<Long, LogSegment> next = segments.higherEntry(entry.getKey());
                boolean isEndSegment = segment.baseOffset() == end.segmentBaseOffset();
                int maxPosition = isEndSegment ? end.relativePositionInSegment() : segment.size();
                long segmentEnd = isEndSegment || next == null ? end.messageOffset() : next.getKey();
                FetchDataInfo info = segment.read(
                        startOffset,
                        maxBytes,
                        maxPosition,
                        maxOffsetExclusive,
                        segmentEnd,
                        minOneMessage,
                        start,
                        end.messageOffset());
                if (info != null) {
                    return info;
                }
                entry = next;
            }
            return FetchDataInfo.empty(end, start, end.messageOffset());
        } catch (KafkaException e) {
            throw rethrowIfIo("read", e);
        }
    }

    /**
     * The batches from the one containing {@code startOffset} to the log end offset at the time
     * of the call, read lazily from the segment files (for rebuilding producer state). Each batch
     * loads its header on access and its records only when iterated.
     */
    public Iterable<RecordBatch> batchesFrom(long startOffset) {
        ensureOnline();
        LogOffsetMetadata end = logEndOffsetMetadata;
        long from = Math.max(startOffset, logStartOffset);
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
        ensureOnline();
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP) {
            long start = logStartOffset;
            return Optional.of(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, start, epochAt(start)));
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            long end = logEndOffset();
            OptionalInt latest = leaderEpochCache.latestEpoch();
            return Optional.of(new TimestampAndOffset(
                    RecordBatch.NO_TIMESTAMP,
                    end,
                    latest.isPresent() ? Optional.of(latest.getAsInt()) : Optional.empty()));
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            return offsetOfMaxTimestamp();
        }
        if (timestamp < 0) {
            return Optional.empty();
        }
        long end = logEndOffset();
        long start = logStartOffset;
        try {
            for (LogSegment segment : segments.values()) {
                if (segment.maxTimestampSoFar() >= timestamp) {
                    Optional<TimestampAndOffset> found = segment.findOffsetByTimestamp(timestamp, start);
                    if (found.isPresent()) {
                        return found.filter(f -> f.offset() < end);
                    }
                }
            }
            return Optional.empty();
        } catch (KafkaException e) {
            throw rethrowIfIo("offsetForTimestamp", e);
        }
    }

    /** ListOffsets MAX_TIMESTAMP: the first record carrying the largest timestamp in the log, if any. */
    public Optional<TimestampAndOffset> offsetOfMaxTimestamp() {
        ensureOnline();
        LogSegment best = null;
        for (LogSegment segment : segments.values()) {
            if (best == null || segment.maxTimestampSoFar() > best.maxTimestampSoFar()) {
                best = segment;
            }
        }
        if (best == null || best.maxTimestampSoFar() < 0) {
            return Optional.empty();
        }
        try {
            return best.findOffsetByTimestamp(best.maxTimestampSoFar(), logStartOffset);
        } catch (KafkaException e) {
            throw rethrowIfIo("offsetOfMaxTimestamp", e);
        }
    }

    private Optional<Integer> epochAt(long offset) {
        OptionalInt epoch = leaderEpochCache.epochForOffset(offset);
        return epoch.isPresent() ? Optional.of(epoch.getAsInt()) : Optional.empty();
    }

    // ------------------------------------------------------------------------------------------
    // Offsets

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffsetMetadata.messageOffset();
    }

    /** The log end offset with its segment and position. */
    public LogOffsetMetadata logEndOffsetMetadata() {
        return logEndOffsetMetadata;
    }

    /**
     * Where {@code offset} lives: its segment and the position of the batch that contains it, for
     * fetch code that counts bytes between two offsets (e.g. from a fetch offset to the high
     * watermark). The log end offset maps to the end of the active segment; an offset outside
     * [log start, log end] maps to {@link LogOffsetMetadata#unknown}.
     */
    public LogOffsetMetadata offsetMetadata(long offset) {
        ensureOnline();
        LogOffsetMetadata end = logEndOffsetMetadata;
        if (offset == end.messageOffset()) {
            return end;
        }
        if (offset < logStartOffset || offset > end.messageOffset()) {
            return LogOffsetMetadata.unknown(offset);
        }
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
        try {
            while (entry != null && entry.getKey() <= end.segmentBaseOffset()) {
                var position = entry.getValue().translateOffset(offset, 0);
                if (position != null) {
                    return new LogOffsetMetadata(offset, entry.getKey(), position.position);
                }
                entry = segments.higherEntry(entry.getKey());
            }
            return LogOffsetMetadata.unknown(offset);
        } catch (KafkaException e) {
            throw rethrowIfIo("offsetMetadata", e);
        }
    }

    /** Offsets below this are known to be on disk. */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    /** The high watermark kept for the replication layer; checkpointed by {@link LogManager}. */
    public long highWatermark() {
        return highWatermark.get().messageOffset();
    }

    /**
     * The high watermark with its segment and position, so that a parked consumer fetch can count
     * the bytes that became readable without reading the log. The position is looked up at most
     * once per high-watermark value; when the high watermark is the log end (one replica, or every
     * follower caught up) it is known without a lookup.
     */
    public LogOffsetMetadata highWatermarkMetadata() {
        LogOffsetMetadata current = highWatermark.get();
        if (current.hasPosition()) {
            return current;
        }
        LogOffsetMetadata resolved = offsetMetadata(current.messageOffset());
        // a concurrent move keeps its own value: this lookup is then simply not cached
        highWatermark.compareAndSet(current, resolved);
        return resolved;
    }

    /** Caller holds {@code lock} (or is the constructor). */
    private void setHighWatermark(long offset) {
        LogOffsetMetadata end = logEndOffsetMetadata;
        highWatermark.set(offset == end.messageOffset() ? end : LogOffsetMetadata.unknown(offset));
    }

    /**
     * Sets the high watermark, clamped to [log start offset, log end offset].
     *
     * @return the value set
     */
    public long updateHighWatermark(long newHighWatermark) {
        synchronized (lock) {
            long clamped = Math.max(logStartOffset, Math.min(newHighWatermark, logEndOffset()));
            setHighWatermark(clamped);
            return clamped;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Truncation and deletion

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
            if (targetOffset >= logEndOffset()) {
                return false;
            }
            if (segments.firstKey() > targetOffset) {
                truncateFullyAndStartAt(targetOffset);
                return true;
            }
            try {
                LOG.info(
                        "Truncating {} in {} to offset {} (log end offset {})",
                        topicPartition,
                        dir,
                        targetOffset,
                        logEndOffset());
                List<LogSegment> deletable =
                        new ArrayList<>(segments.tailMap(targetOffset, false).values());
                removeAndDeleteSegments(deletable, "truncation to " + targetOffset);
                LogSegment active = segments.lastEntry().getValue();
                active.truncateTo(targetOffset);
                long newEnd = active.readNextOffset();
                logEndOffsetMetadata = new LogOffsetMetadata(newEnd, active.baseOffset(), active.size());
                leaderEpochCache.truncateFromEnd(newEnd);
                logStartOffset = Math.min(logStartOffset, newEnd);
                recoveryPoint = Math.min(recoveryPoint, newEnd);
                setHighWatermark(Math.min(highWatermark(), newEnd));
                return true;
            } catch (IOException | UncheckedIOException e) {
                throw markOffline("truncateTo(" + targetOffset + ")", e);
            }
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
            try {
                LOG.info("Truncating {} in {} fully and restarting at offset {}", topicPartition, dir, newOffset);
                removeAndDeleteSegments(new ArrayList<>(segments.values()), "full truncation");
                LogSegment segment = LogSegment.open(dir, newOffset, config, clock, false);
                segments.put(newOffset, segment);
                logEndOffsetMetadata = new LogOffsetMetadata(newOffset, newOffset, 0);
                logStartOffset = newOffset;
                recoveryPoint = newOffset;
                setHighWatermark(newOffset);
                leaderEpochCache.clearAndFlush();
            } catch (IOException | UncheckedIOException e) {
                throw markOffline("truncateFullyAndStartAt(" + newOffset + ")", e);
            }
        }
    }

    /**
     * DeleteRecords: moves the log start offset up to {@code offset} (-1 means the high watermark)
     * and deletes the segments that lie wholly below it. Records below the log start offset are
     * never served, even while their segment remains.
     *
     * @return the log start offset after the call
     * @throws OffsetOutOfRangeException if {@code offset} is above the high watermark or below -1
     */
    public long deleteRecordsBefore(long offset) {
        synchronized (lock) {
            ensureOnline();
            long highWatermark = highWatermark();
            long target = offset == -1 ? highWatermark : offset;
            if (target < 0 || target > highWatermark) {
                throw new OffsetOutOfRangeException("Cannot increment the log start offset of " + topicPartition
                        + " to " + offset + " since it is larger than the high watermark " + highWatermark);
            }
            if (target > logStartOffset) {
                LOG.info(
                        "Incrementing log start offset of {} from {} to {} (DeleteRecords)",
                        topicPartition,
                        logStartOffset,
                        target);
                logStartOffset = target;
                leaderEpochCache.truncateFromStart(target);
                deleteOldSegments();
            }
            return logStartOffset;
        }
    }

    /**
     * Retention: deletes the oldest segments that are past {@code retention.ms} (by their largest
     * timestamp), that make the log exceed {@code retention.bytes}, or that lie wholly below the
     * log start offset. Never deletes the active segment or a segment holding offsets at or above
     * the high watermark. Advances the log start offset to the first remaining segment.
     *
     * @return number of segments deleted
     */
    public int deleteOldSegments() {
        synchronized (lock) {
            ensureOnline();
            LogConfig cfg = config;
            long now = clock.millis();
            long totalSize = size();
            long sizeExcess = cfg.retentionBytes() < 0 ? 0 : totalSize - cfg.retentionBytes();
            List<LogSegment> deletable = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            LogSegment active = segments.lastEntry().getValue();
            long highWatermark = highWatermark();
            for (LogSegment segment : segments.values()) {
                Long nextBase = segments.higherKey(segment.baseOffset());
                if (segment == active || nextBase == null || nextBase > highWatermark) {
                    break;
                }
                String reason = null;
                if (nextBase <= logStartOffset) {
                    reason = "below log start offset " + logStartOffset;
                } else if (cfg.deleteRetentionEnabled()
                        && cfg.retentionMs() >= 0
                        && now - segment.largestTimestamp() > cfg.retentionMs()) {
                    reason = "largest timestamp " + segment.largestTimestamp() + " older than retention.ms "
                            + cfg.retentionMs();
                } else if (cfg.deleteRetentionEnabled() && sizeExcess - segment.size() >= 0) {
                    reason = "log size " + totalSize + " above retention.bytes " + cfg.retentionBytes();
                }
                if (reason == null) {
                    break;
                }
                sizeExcess -= segment.size();
                deletable.add(segment);
                reasons.add(segment.baseOffset() + ": " + reason);
            }
            if (deletable.isEmpty()) {
                return 0;
            }
            try {
                LOG.info("Deleting {} segments of {} in {}: {}", deletable.size(), topicPartition, dir, reasons);
                removeAndDeleteSegments(deletable, "retention");
                long newStart = segments.firstKey();
                if (newStart > logStartOffset) {
                    logStartOffset = newStart;
                    leaderEpochCache.truncateFromStart(newStart);
                }
                return deletable.size();
            } catch (IOException | UncheckedIOException e) {
                throw markOffline("deleteOldSegments", e);
            }
        }
    }

    /** Removes segments from the log, renames their files {@code *.deleted}, deletes them later. */
    private void removeAndDeleteSegments(List<LogSegment> toDelete, String reason) throws IOException {
        for (LogSegment segment : toDelete) {
            segments.remove(segment.baseOffset(), segment);
        }
        for (LogSegment segment : toDelete) {
            segment.appendSuffixToFiles(LogFileNames.DELETED_FILE_SUFFIX);
        }
        if (!toDelete.isEmpty()) {
            LOG.debug("Scheduled deletion of {} segments of {} ({})", toDelete.size(), topicPartition, reason);
            schedule(() -> deleteSegmentFiles(toDelete), config.fileDeleteDelayMs());
        }
    }

    private void deleteSegmentFiles(List<LogSegment> toDelete) {
        for (LogSegment segment : toDelete) {
            try {
                segment.deleteIfExists();
            } catch (IOException e) {
                LOG.warn("Failed to delete segment files {} of {}", segment, topicPartition, e);
            }
        }
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: a leftover *.deleted file is removed at the next load; a skipped
            // flush leaves the recovery point behind, which only costs a rescan
            LOG.debug("Scheduler rejected a task for {}", topicPartition);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Flush, config, lifecycle

    /** fsyncs everything up to the log end offset and moves the recovery point there. */
    public void flush() {
        flushUpTo(logEndOffset());
    }

    /** Flushes if {@code flush.ms} has passed since the last flush; called by the scheduler. */
    public void flushIfDue() {
        if (logEndOffset() > recoveryPoint && clock.millis() - lastFlushTimeMs >= config.flushMs()) {
            flush();
        }
    }

    /** fsyncs the segments holding offsets in [recovery point, {@code offset}) and moves the recovery point. */
    void flushUpTo(long offset) {
        if (offset <= recoveryPoint || closed || offlineCause != null) {
            return;
        }
        Long from = segments.floorKey(recoveryPoint);
        for (LogSegment segment : segments.subMap(from == null ? segments.firstKey() : from, true, offset, false)
                .values()) {
            try {
                segment.flush();
            } catch (ClosedChannelException e) {
                if (!closed && segments.get(segment.baseOffset()) == segment) {
                    throw markOffline("flush", e);
                }
                // the segment was deleted or the log closed meanwhile: nothing left to flush
            } catch (IOException | UncheckedIOException e) {
                throw markOffline("flush", e);
            }
        }
        try {
            leaderEpochCache.flushIfDirty();
        } catch (UncheckedIOException e) {
            throw markOffline("flush of " + leaderEpochCache.file(), e);
        }
        synchronized (lock) {
            if (offset > recoveryPoint) {
                recoveryPoint = offset;
                lastFlushTimeMs = clock.millis();
            }
        }
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

    /** The latest leader epoch written to the log, if any. */
    public OptionalInt latestEpoch() {
        return leaderEpochCache.latestEpoch();
    }

    /** OffsetsForLeaderEpoch, see {@link LeaderEpochFileCache#endOffsetFor}. */
    public EpochEndOffset endOffsetForEpoch(int leaderEpoch) {
        return leaderEpochCache.endOffsetFor(leaderEpoch, logEndOffset());
    }

    /** What loading the log found (segments rescanned, bytes truncated). */
    public LogLoadInfo loadInfo() {
        return loadInfo;
    }

    /** Total bytes of all segments. */
    public long size() {
        long size = 0;
        for (LogSegment segment : segments.values()) {
            size += segment.size();
        }
        return size;
    }

    public int numberOfSegments() {
        return segments.size();
    }

    /** Base offsets of the segments, oldest first. */
    public List<Long> segmentBaseOffsets() {
        return List.copyOf(segments.keySet());
    }

    /** The segments, oldest first (a snapshot). */
    public List<LogSegment> segments() {
        return List.copyOf(segments.values());
    }

    public boolean isOffline() {
        return offlineCause != null;
    }

    /** Flushes, writes the final time index entries, trims the indexes and closes the files. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            try {
                if (offlineCause == null) {
                    flush();
                    leaderEpochCache.flushIfDirty();
                }
            } finally {
                closed = true;
                for (LogSegment segment : segments.values()) {
                    try {
                        segment.close();
                    } catch (IOException e) {
                        LOG.warn("Failed to close segment {} of {}", segment, topicPartition, e);
                    }
                }
            }
        }
    }

    /** Closes the files without flushing or trimming, as a crash would leave them (tests). */
    void closeHandlers() {
        synchronized (lock) {
            closed = true;
            segments.values().forEach(LogSegment::closeHandlers);
        }
    }

    private void ensureOnline() {
        KafkaStorageException cause = offlineCause;
        if (cause != null) {
            throw new KafkaStorageException(
                    "Partition " + topicPartition + " in " + dir.getAbsolutePath() + " is offline: "
                            + cause.getMessage(),
                    cause);
        }
        if (closed) {
            throw new KafkaStorageException(
                    "Log of partition " + topicPartition + " in " + dir.getAbsolutePath() + " is closed");
        }
    }

    private RuntimeException rethrowIfIo(String operation, KafkaException e) {
        if (e.getCause() instanceof IOException io) {
            throw markOffline(operation, io);
        }
        throw e;
    }

    private KafkaStorageException markOffline(String operation, Exception cause) {
        KafkaStorageException e = new KafkaStorageException(
                "I/O error in " + operation + " of partition "
                        + topicPartition + " in " + dir.getAbsolutePath() + " (log start offset " + logStartOffset
                        + ", log end offset " + logEndOffset() + "): " + cause,
                cause);
        synchronized (this) {
            if (offlineCause == null) {
                offlineCause = e;
                LOG.error(
                        "Taking partition {} offline: I/O error in {} in {} (log end offset {})",
                        topicPartition,
                        operation,
                        dir.getAbsolutePath(),
                        logEndOffset(),
                        cause);
            }
        }
        return e;
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", dir=" + dir + ", logStartOffset=" + logStartOffset
                + ", logEndOffset=" + logEndOffset() + ")";
    }
}
