package io.tributary.storage.log;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the files of segments that a partition log has dropped (retention, DeleteRecords,
 * truncation) in two steps, as Kafka does: at once it renames each segment's three files with
 * the {@code .deleted} suffix, then, {@code file.delete.delay.ms} later on the log's scheduler,
 * closes and deletes them. The delay lets lock-free readers that took a slice of a segment before
 * it was dropped finish sending from the still-open file.
 *
 * <p><b>Crash behaviour:</b> a crash between the two steps leaves {@code *.deleted} files, which
 * {@link LogLoader} deletes at the next load; a crash before the rename leaves the segment, which
 * is loaded again (and retention or truncation drops it again).
 *
 * <p><b>Thread-safety:</b> {@link #deleteLater} is called under the log's lock; the delayed
 * deletion runs on a scheduler thread and touches only the segments it was given.
 */
final class SegmentDeleter {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentDeleter.class);

    private final TopicPartition topicPartition;
    private final ScheduledExecutorService scheduler;

    SegmentDeleter(TopicPartition topicPartition, ScheduledExecutorService scheduler) {
        this.topicPartition = topicPartition;
        this.scheduler = scheduler;
    }

    /**
     * Renames the files of {@code segments}, already removed from the log, to {@code *.deleted}
     * and schedules their deletion in {@code delayMs}.
     *
     * @throws IOException if a rename fails (the caller takes the partition offline)
     */
    void deleteLater(List<LogSegment> segments, String reason, long delayMs) throws IOException {
        if (segments.isEmpty()) {
            return;
        }
        for (LogSegment segment : segments) {
            segment.files().appendSuffix(LogFileNames.DELETED_FILE_SUFFIX);
        }
        LOG.debug("Scheduled deletion of {} segments of {} ({})", segments.size(), topicPartition, reason);
        try {
            scheduler.schedule(() -> deleteNow(segments), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the *.deleted files are removed at the next load
            LOG.debug("Scheduler rejected the deletion of {} segments of {}", segments.size(), topicPartition);
        }
    }

    private void deleteNow(List<LogSegment> segments) {
        for (LogSegment segment : segments) {
            try {
                segment.deleteIfExists();
            } catch (IOException e) {
                LOG.warn("Failed to delete segment files {} of {}", segment, topicPartition, e);
            }
        }
    }
}
