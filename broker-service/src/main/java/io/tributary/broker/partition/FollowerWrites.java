package io.tributary.broker.partition;

import io.tributary.broker.producer.ProducerStateManager;
import io.tributary.storage.log.HighWatermark;
import io.tributary.storage.log.LogAppendInfo;
import io.tributary.storage.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a follower writes to its replica, as the replica fetcher drives it: the leader's batches
 * appended as they are (offsets and epochs kept), the leader's high watermark, and the truncations
 * that make its history agree with the leader's. Each keeps the producer state in step with the
 * log: appended batches update it, a truncation rebuilds it from what remains.
 *
 * <p>Thread-safety: see {@link Partition}; the appends and truncations hold the partition's
 * monitor, passed in as {@code monitor}, through their disk writes. The high-watermark update
 * takes neither it nor the leadership lock, only the log's lock for its write
 * ({@code HighWatermark.update}).
 */
public final class FollowerWrites {

    private static final Logger LOG = LoggerFactory.getLogger(FollowerWrites.class);

    private final Object monitor;
    private final TopicPartition topicPartition;
    private final PartitionLog log;
    private final HighWatermark highWatermark;
    private final ProducerStateManager producers;

    FollowerWrites(Partition partition, PartitionLog log, ProducerStateManager producers) {
        this.monitor = partition;
        this.topicPartition = partition.topicPartition();
        this.log = log;
        this.highWatermark = log.highWatermark();
        this.producers = producers;
    }

    /** Appends batches fetched from the leader, keeping their offsets and epochs. */
    public LogAppendInfo append(MemoryRecords records) {
        synchronized (monitor) {
            long activeSegment = ProducerStateManager.activeSegmentBaseOffset(log);
            LogAppendInfo info = log.appendAsFollower(records);
            producers.appended(records.batches(), activeSegment, log);
            return info;
        }
    }

    /** The high watermark is the leader's, bounded by what this replica has. */
    public void updateHighWatermark(long leaderHighWatermark) {
        long bounded = Math.min(leaderHighWatermark, log.logEndOffset());
        if (bounded > highWatermark.offset()) {
            highWatermark.update(bounded);
        }
    }

    /** Drops everything at and above {@code offset} (divergent or uncommitted history). */
    public void truncateTo(long offset) {
        synchronized (monitor) {
            if (offset >= log.logEndOffset()) {
                return;
            }
            producers.beforeTruncation(offset);
            if (log.truncateTo(offset)) {
                LOG.info("{}: truncated to offset {}", topicPartition, offset);
                producers.load(log);
            }
        }
    }

    /** The leader's log starts past ours: restart empty at {@code offset}. */
    public void truncateFullyAndStartAt(long offset) {
        synchronized (monitor) {
            log.truncateFullyAndStartAt(offset);
            producers.reset();
            LOG.info("{}: truncated fully, starting at offset {}", topicPartition, offset);
        }
    }
}
