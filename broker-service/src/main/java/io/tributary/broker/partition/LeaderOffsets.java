package io.tributary.broker.partition;

import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.TimestampAndOffset;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * ListOffsets as a leader answers it, from its log and current epoch. Stateless; the caller has
 * checked that it leads in the client's epoch.
 */
final class LeaderOffsets {

    private LeaderOffsets() {}

    /**
     * The log start for {@code EARLIEST}, {@code highWatermark} for {@code LATEST}, the record with
     * the largest timestamp for {@code MAX_TIMESTAMP}, otherwise the first offset whose timestamp is
     * at least {@code timestamp}. Records at or above {@code highWatermark} (the high watermark, or
     * the last stable offset for a read_committed client) are never reported. Empty when nothing
     * matches (or for other special timestamps, such as tiered storage's).
     */
    static Optional<TimestampAndOffset> forTimestamp(
            PartitionLog log, int leaderEpoch, long timestamp, long highWatermark) {
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
                || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            long offset = log.logStartOffset();
            OptionalInt epoch = log.leaderEpochCache().epochForOffset(offset);
            return Optional.of(new TimestampAndOffset(
                    -1, offset, epoch.isPresent() ? Optional.of(epoch.getAsInt()) : Optional.empty()));
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            return Optional.of(new TimestampAndOffset(-1, highWatermark, Optional.of(leaderEpoch)));
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            return log.reader().offsetOfMaxTimestamp().filter(found -> found.offset() < highWatermark);
        }
        if (timestamp < 0) {
            // LATEST_TIERED and other special values: no tiered storage, nothing to report
            return Optional.empty();
        }
        return log.reader().offsetForTimestamp(timestamp).filter(found -> found.offset() < highWatermark);
    }
}
