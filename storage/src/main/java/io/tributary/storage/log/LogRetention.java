package io.tributary.storage.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention policy of a partition log: which of its oldest segments may be deleted, and why
 * ({@link #deletableSegments}, which only decides), and the retention run that removes them from
 * the log ({@link #deleteOldSegments}, through {@link LocalLog}; {@link SegmentDeleter} deletes
 * their files) and raises the log start offset to the first remaining segment.
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
 * <p><b>Thread-safety:</b> stateless; call it under the log's lock so the segments do not change
 * between the decision and the removal.
 */
final class LogRetention {

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

    private LogRetention() {}

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
