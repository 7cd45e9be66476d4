package io.tributary.storage.log;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log start offset of a partition log: the first offset it serves. Records below it are never
 * read, even while their segment remains; retention and DeleteRecords move it up, truncation
 * below it and a full restart move it down. Raising it also drops the leader-epoch entries below
 * it, as Kafka does.
 *
 * <p>It is not stored on disk here: {@link LogManager} checkpoints it per log directory. A crash
 * after a raise but before the next checkpoint leaves the older value, which {@link LogLoader}
 * raises to the first remaining segment when the log is opened again.
 *
 * <p><b>Thread-safety:</b> readers take no lock (a volatile value); every change is made under
 * the owning {@link PartitionLog}'s lock.
 */
final class LogStartOffset {

    private static final Logger LOG = LoggerFactory.getLogger(LogStartOffset.class);

    private final TopicPartition topicPartition;
    private final LeaderEpochFileCache leaderEpochCache;
    private volatile long value;

    LogStartOffset(TopicPartition topicPartition, LeaderEpochFileCache leaderEpochCache, long value) {
        this.topicPartition = topicPartition;
        this.leaderEpochCache = leaderEpochCache;
        this.value = value;
    }

    long get() {
        return value;
    }

    /**
     * Raises the log start offset to {@code newStart} and truncates the leader-epoch cache from
     * there; does nothing if it is not above the current value.
     *
     * @param reason what moved it, for the log line
     * @return true if it moved
     */
    boolean maybeIncrement(long newStart, String reason) {
        if (newStart <= value) {
            return false;
        }
        LOG.info("Incrementing log start offset of {} from {} to {} ({})", topicPartition, value, newStart, reason);
        value = newStart;
        leaderEpochCache.truncateFromStart(newStart);
        return true;
    }

    /** After a truncation to {@code newEnd}: the log start offset never lies above the log end. */
    void lowerTo(long newEnd) {
        value = Math.min(value, newEnd);
    }

    /** After a full truncation: the log restarts empty at {@code offset}. */
    void restartAt(long offset) {
        value = offset;
    }

    /**
     * The offset DeleteRecords moves the log start to: {@code requested}, or the high watermark
     * for -1.
     *
     * @throws OffsetOutOfRangeException if {@code requested} is above the high watermark or below -1
     */
    long deleteRecordsTarget(long requested, long highWatermark) {
        long target = requested == -1 ? highWatermark : requested;
        if (target < 0 || target > highWatermark) {
            throw new OffsetOutOfRangeException("Cannot increment the log start offset of " + topicPartition + " to "
                    + requested + " since it is larger than the high watermark " + highWatermark);
        }
        return target;
    }

    @Override
    public String toString() {
        return "LogStartOffset(" + topicPartition + ", " + value + ")";
    }
}
