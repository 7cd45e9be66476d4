package io.tributary.broker.partition;

import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.epoch.EpochEndOffset;
import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import java.util.OptionalInt;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;

/**
 * OffsetsForLeaderEpoch as a Kafka replica answers it, over the log's leader-epoch cache and the
 * partition's current epoch. Stateless; safe from any thread (the log's reads are).
 */
final class EpochEndOffsets {

    private EpochEndOffsets() {}

    /**
     * Kafka's answer for {@code requested} from a log whose epoch cache may not yet hold the
     * current leader epoch ({@code currentEpoch}, -1 when not leading): the cache's answer, as if
     * it also held an entry ({@code currentEpoch}, log end offset) whenever the current epoch is
     * newer than every cached one.
     */
    static EpochEndOffset endOffsetFor(PartitionLog partitionLog, int currentEpoch, int requested) {
        if (requested == OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH) {
            return EpochEndOffset.UNDEFINED;
        }
        LeaderEpochFileCache epochs = partitionLog.leaderEpochCache();
        OptionalInt latest = epochs.latestEpoch();
        long logEnd = partitionLog.logEndOffset();
        boolean virtualEntry = currentEpoch >= 0 && (latest.isEmpty() || currentEpoch > latest.getAsInt());
        if (!virtualEntry) {
            return epochs.endOffsetFor(requested, partitionLog.logEndOffset());
        }
        if (requested == currentEpoch) {
            return new EpochEndOffset(currentEpoch, logEnd);
        }
        if (requested > currentEpoch) {
            return EpochEndOffset.UNDEFINED;
        }
        if (latest.isEmpty()) {
            // only the current epoch is known, and it starts at the log end
            return new EpochEndOffset(requested, logEnd);
        }
        if (requested >= latest.getAsInt()) {
            // the latest cached epoch ends where the (empty) current one starts: the log end
            return new EpochEndOffset(latest.getAsInt(), logEnd);
        }
        return epochs.endOffsetFor(requested, partitionLog.logEndOffset());
    }
}
