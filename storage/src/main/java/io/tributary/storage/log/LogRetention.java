package io.tributary.storage.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deletion of a partition log's oldest records: the retention run ({@link #deleteOldSegments})
 * and DeleteRecords ({@link #deleteRecordsBefore}), which raises the log start offset and then
 * runs it. Obtained from {@link PartitionLog#retention()}. Which segments may go, and why, is
 * decided by {@link #deletableSegments}; the run removes them from the log through
 * {@link LocalLog} ({@link SegmentDeleter} deletes their files) and raises the log start offset to
 * the first remaining segment.
 *
 * <p>A segment is deletable if it lies wholly below the log start offset (DeleteRecords), if its
 * largest timestamp (see {@link LogSegment#largestTimestamp}) is older than {@code retention.ms},
 * or if deleting it still leaves the log at or above {@code retention.bytes}; the last two only
 * with {@code cleanup.policy=delete}, and a negative limit disables its check.
 *
 * <p><b>Invariants of the answer:</b> it is a prefix of the log, oldest first (the scan stops at
 * the first segment that must stay, so the log never gets a hole); it never holds the active
 * segment nor a segment with offsets at or above the high watermark, which consumers may not
 * have read and followers may not have copied.
 *
 * <p><b>Faults:</b> an {@link IOException} takes the partition offline through
 * {@link OfflineState}.
 *
 * <p><b>Thread-safety:</b> thread-safe: both public calls take the log's lock, so the segments do
 * not change between the decision and the removal; the static methods are stateless and are
 * called under it.
 */
public final class LogRetention {

    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);

    /** Segments to delete, oldest first, with one reason per segment ("{baseOffset}: {why}"). */
    record Deletable(List<LogSegment> segments, List<String> reasons) {

        boolean isEmpty() {
            return segments.isEmpty();
        }

        int size() {
            return segments.size();
        }
    }

    private final Object lock;
    private final LocalLog local;
    private final LogStartOffset logStartOffset;
    private final HighWatermark highWatermark;
    private final OfflineState offline;
    private final Supplier<LogConfig> config;
    private final Clock clock;

    LogRetention(
            Object lock,
            LocalLog local,
            LogStartOffset logStartOffset,
            HighWatermark highWatermark,
            OfflineState offline,
            Supplier<LogConfig> config,
            Clock clock) {
        this.lock = lock;
        this.local = local;
        this.logStartOffset = logStartOffset;
        this.highWatermark = highWatermark;
        this.offline = offline;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Retention: deletes the oldest segments that are past {@code retention.ms} (by their largest
     * timestamp), that make the log exceed {@code retention.bytes}, or that lie wholly below the
     * log start offset. Never deletes the active segment or a segment holding offsets at or above
     * the high watermark. Advances the log start offset to the first remaining segment.
     *
     * @return number of segments deleted
     * @throws KafkaStorageException if the partition is offline, or goes offline in the attempt
     */
    public int deleteOldSegments() {
        synchronized (lock) {
            ensureOnline();
            try {
                return deleteOldSegments(local, logStartOffset, config.get(), clock.millis(), highWatermark.offset());
            } catch (IOException | UncheckedIOException e) {
                throw offline.markOffline("deleteOldSegments", e);
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
            long target = logStartOffset.deleteRecordsTarget(offset, highWatermark.offset());
            if (logStartOffset.maybeIncrement(target, "DeleteRecords")) {
                deleteOldSegments();
            }
            return logStartOffset.get();
        }
    }

    private void ensureOnline() {
        offline.ensureOnline();
        local.ensureOpen();
    }

    /**
     * Deletes the segments of {@code local} that retention lets go at {@code now} and raises
     * {@code logStartOffset} to the first remaining segment.
     *
     * @return number of segments deleted
     * @throws IOException if a segment could not be renamed for deletion
     */
    static int deleteOldSegments(
            LocalLog local, LogStartOffset logStartOffset, LogConfig config, long now, long highWatermark)
            throws IOException {
        LogSegments segments = local.segments();
        Deletable deletable = deletableSegments(segments, config, now, logStartOffset.get(), highWatermark);
        if (deletable.isEmpty()) {
            return 0;
        }
        LOG.info(
                "Deleting {} segments of {} in {}: {}",
                deletable.size(),
                local.topicPartition(),
                local.dir(),
                deletable.reasons());
        local.deleteSegments(deletable.segments(), "retention", config);
        logStartOffset.maybeIncrement(segments.firstBaseOffset(), "retention");
        return deletable.size();
    }

    /** The segments of {@code log} that retention deletes at {@code now}. */
    static Deletable deletableSegments(
            LogSegments log, LogConfig config, long now, long logStartOffset, long highWatermark) {
        long totalSize = log.sizeInBytes();
        long sizeExcess = config.retentionBytes() < 0 ? 0 : totalSize - config.retentionBytes();
        List<LogSegment> deletable = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        LogSegment active = log.activeSegment();
        for (LogSegment segment : log.values()) {
            Long nextBase = log.nextBaseOffset(segment);
            if (segment == active || nextBase == null || nextBase > highWatermark) {
                break;
            }
            String reason = null;
            if (nextBase <= logStartOffset) {
                reason = "below log start offset " + logStartOffset;
            } else if (config.deleteRetentionEnabled()
                    && config.retentionMs() >= 0
                    && now - segment.largestTimestamp() > config.retentionMs()) {
                reason = "largest timestamp " + segment.largestTimestamp() + " older than retention.ms "
                        + config.retentionMs();
            } else if (config.deleteRetentionEnabled() && sizeExcess - segment.size() >= 0) {
                reason = "log size " + totalSize + " above retention.bytes " + config.retentionBytes();
            }
            if (reason == null) {
                break;
            }
            sizeExcess -= segment.size();
            deletable.add(segment);
            reasons.add(segment.baseOffset() + ": " + reason);
        }
        return new Deletable(List.copyOf(deletable), List.copyOf(reasons));
    }
}
