package io.tributary.storage.log;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flush policy of a partition log and the flush itself: when to fsync ({@code flush.messages}
 * offsets above the recovery point after an append, {@code flush.ms} since the last flush, the
 * previous segments in the background after a roll) and how (the segments holding offsets in
 * [recovery point, target), then the leader-epoch checkpoint if it changed, then the recovery
 * point moves up).
 *
 * <p><b>Crash behaviour:</b> the recovery point moves only after the fsyncs return, so every
 * offset below it is on disk; a flush skipped (scheduler shut down) or cut short by a crash only
 * leaves the recovery point behind, which costs a rescan of those segments when the log is
 * opened again. An I/O error takes the partition offline through {@link OfflineState}.
 *
 * <p><b>Thread-safety:</b> thread-safe. The fsyncs run without the log's lock (a background flush
 * must not block appends); only moving the recovery point takes it.
 */
final class LogFlusher {

    private static final Logger LOG = LoggerFactory.getLogger(LogFlusher.class);

    private final TopicPartition topicPartition;
    private final Object lock;
    private final LocalLog local;
    private final LeaderEpochFileCache leaderEpochCache;
    private final OfflineState offline;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    LogFlusher(
            TopicPartition topicPartition,
            Object lock,
            LocalLog local,
            LeaderEpochFileCache leaderEpochCache,
            OfflineState offline,
            ScheduledExecutorService scheduler,
            Clock clock) {
        this.topicPartition = topicPartition;
        this.lock = lock;
        this.local = local;
        this.leaderEpochCache = leaderEpochCache;
        this.offline = offline;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** {@code flush.messages}: flushes to {@code newEnd} if that many offsets are above the recovery point. */
    void maybeFlushAfterAppend(long newEnd, LogConfig config) {
        if (newEnd - local.recoveryPoint() >= config.flushMessages()) {
            flushUpTo(newEnd);
        }
    }

    /** {@code flush.ms}: flushes to the log end if that long has passed since the last flush. */
    void flushIfDue(LogConfig config) {
        if (local.logEndOffset() > local.recoveryPoint()
                && clock.millis() - local.lastFlushTimeMs() >= config.flushMs()) {
            flushUpTo(local.logEndOffset());
        }
    }

    /** Flushes up to {@code offset} on the scheduler (after a roll: the segments before the new one). */
    void flushInBackground(long offset) {
        try {
            scheduler.schedule(() -> flushUpTo(offset), 0, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: a skipped flush leaves the recovery point behind, which only costs a rescan
            LOG.debug("Scheduler rejected the flush of {} up to offset {}", topicPartition, offset);
        }
    }

    /**
     * fsyncs the segments holding offsets in [recovery point, {@code offset}) and the leader-epoch
     * checkpoint, then moves the recovery point to {@code offset}. Does nothing if the recovery
     * point is already there or the log is closed or offline.
     *
     * @throws KafkaStorageException if an fsync fails (the partition is then offline)
     */
    void flushUpTo(long offset) {
        if (offset <= local.recoveryPoint() || local.isClosed() || offline.isOffline()) {
            return;
        }
        try {
            local.flushSegments(offset);
        } catch (IOException | UncheckedIOException e) {
            throw offline.markOffline("flush", e);
        }
        try {
            leaderEpochCache.flushIfDirty();
        } catch (UncheckedIOException e) {
            throw offline.markOffline("flush of " + leaderEpochCache.file(), e);
        }
        synchronized (lock) {
            local.markFlushed(offset);
        }
    }
}
