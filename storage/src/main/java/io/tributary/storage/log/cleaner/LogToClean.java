package io.tributary.storage.log.cleaner;

import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.LogSegment;
import io.tributary.storage.log.PartitionLog;
import java.util.List;

/**
 * A compacted log as the cleaner sees it at one moment, as Kafka's {@code LogToClean} and
 * {@code LogCleanerManager.cleanableOffsets}: the clean section [log start, first dirty offset)
 * already cleaned, the dirty section [first dirty offset, first uncleanable offset) that this
 * cleaning may read, and everything from the first uncleanable offset on, which it leaves alone.
 *
 * <p>The first uncleanable offset is the smallest of: the active segment's base offset (never
 * cleaned: it takes appends); the base offset of the segment holding the last stable offset, the
 * high watermark or the first offset of the oldest open transaction if lower (what followers may
 * not have copied, what the high watermark's cached position points into, and undecided
 * transactions are never rewritten; Kafka stops at the last stable offset itself, we stop at its
 * segment); and the base offset of the first segment with a record younger than
 * {@code min.compaction.lag.ms}.
 *
 * @param firstDirtyOffset       where the dirty section starts: the checkpointed offset, or the log
 *                               start offset if the checkpoint lies outside the log
 * @param firstUncleanableOffset where it ends (a segment base offset)
 * @param cleanBytes             bytes of the segments wholly below the first dirty offset
 * @param cleanableBytes         bytes of the segments in the dirty section
 * @param truncations            the log's truncation count when this view was taken: a truncation
 *                               since makes the view, and a cleaning from it, void
 * @param needCompactionNow      the first batch of a dirty segment is older than {@code max.compaction.lag.ms}
 */
record LogToClean(
        PartitionLog log,
        long firstDirtyOffset,
        long firstUncleanableOffset,
        long cleanBytes,
        long cleanableBytes,
        long truncations,
        boolean needCompactionNow) {

    /** The dirty share of the log's cleanable part, compared with {@code min.cleanable.dirty.ratio}. */
    double cleanableRatio() {
        long total = cleanBytes + cleanableBytes;
        return total == 0 ? 0 : (double) cleanableBytes / total;
    }

    /** Whether the dirty section is worth a cleaning now. */
    boolean shouldClean() {
        return cleanableBytes > 0
                && (needCompactionNow || cleanableRatio() > log.config().minCleanableDirtyRatio());
    }

    /** The log's sections at {@code now}, given the cleaner's checkpointed first dirty offset ({@code -1} if none). */
    static LogToClean of(PartitionLog log, long checkpointedDirtyOffset, long now) {
        LogConfig config = log.config();
        long truncations = log.truncations();
        List<LogSegment> segments = log.segments();
        long logStart = log.logStartOffset();
        long firstDirty = checkpointedDirtyOffset < logStart || checkpointedDirtyOffset > log.logEndOffset()
                ? logStart
                : checkpointedDirtyOffset;
        LogSegment active = segments.get(segments.size() - 1);
        long lastStable = Math.min(log.highWatermark().offset(), log.firstUnstableOffset());
        long uncleanable = Math.min(active.baseOffset(), segmentBaseHolding(segments, lastStable));
        boolean needNow = false;
        for (int i = 0; i + 1 < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            long next = segments.get(i + 1).baseOffset();
            if (next <= firstDirty || segment.baseOffset() >= uncleanable) {
                continue;
            }
            if (config.minCompactionLagMs() > 0 && segment.largestTimestamp() > now - config.minCompactionLagMs()) {
                uncleanable = segment.baseOffset();
                break;
            }
            if (config.maxCompactionLagMs() < Long.MAX_VALUE
                    && segment.firstBatchTimestamp() >= 0
                    && segment.firstBatchTimestamp() < now - config.maxCompactionLagMs()) {
                needNow = true;
            }
        }
        long cleanBytes = 0;
        long cleanableBytes = 0;
        for (int i = 0; i + 1 < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            long next = segments.get(i + 1).baseOffset();
            if (next <= firstDirty) {
                cleanBytes += segment.size();
            } else if (segment.baseOffset() < uncleanable) {
                cleanableBytes += segment.size();
            }
        }
        return new LogToClean(
                log, firstDirty, Math.max(firstDirty, uncleanable), cleanBytes, cleanableBytes, truncations, needNow);
    }

    private static long segmentBaseHolding(List<LogSegment> segments, long offset) {
        long base = segments.get(0).baseOffset();
        for (LogSegment segment : segments) {
            if (segment.baseOffset() <= offset) {
                base = segment.baseOffset();
            }
        }
        return base;
    }
}
