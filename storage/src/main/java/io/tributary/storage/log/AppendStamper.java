package io.tributary.storage.log;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import java.util.OptionalInt;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The step of an append between validation ({@link AppendValidator}) and the write: for a leader
 * append it rewrites each batch header with its broker-assigned offsets and the leader epoch
 * (both outside the CRC, so nothing is re-checksummed); for both leader and follower appends it
 * records every new leader epoch in the {@link LeaderEpochFileCache} at the first offset it
 * appears and finds the largest timestamp the append carries.
 *
 * <p><b>Thread-safety:</b> stateless; called under the log's lock, since it updates the epoch
 * cache and the offsets must be those of the log end at that moment.
 */
final class AppendStamper {

    /** The largest batch max timestamp of the append and the last offset of its batch (-1 if none). */
    record Stamped(long maxTimestamp, long offsetOfMaxTimestamp) {}

    private AppendStamper() {}

    /**
     * @param assignOffsets true for a leader append: give the batches consecutive offsets from
     *                      {@code firstOffset} and stamp them with {@code leaderEpoch}; false keeps
     *                      the leader's offsets and epochs (a follower append)
     */
    static Stamped stamp(
            MemoryRecords records,
            boolean assignOffsets,
            long firstOffset,
            int leaderEpoch,
            LeaderEpochFileCache leaderEpochCache) {
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
        return new Stamped(maxTimestamp, offsetOfMaxTimestamp);
    }
}
