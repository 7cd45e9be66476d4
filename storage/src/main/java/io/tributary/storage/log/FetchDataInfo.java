package io.tributary.storage.log;

import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Records;

/**
 * The answer to {@link LogReader#read}.
 *
 * @param fetchOffsetMetadata where the returned data starts: the requested offset, its segment and the
 *                            position of the batch that contains it
 * @param records             whole record batches, starting with the batch that contains the requested
 *                            offset (so it may begin below it; clients skip those records). A
 *                            {@link org.apache.kafka.common.record.FileRecords} slice of the segment file, to be
 *                            sent with {@code transferTo} without copying; empty when nothing is available
 * @param logStartOffset      the log start offset when the read began
 * @param logEndOffset        the log end offset when the read began; nothing at or above it is returned
 */
public record FetchDataInfo(
        LogOffsetMetadata fetchOffsetMetadata, Records records, long logStartOffset, long logEndOffset) {

    /** No data at {@code offset}. */
    public static FetchDataInfo empty(LogOffsetMetadata fetchOffsetMetadata, long logStartOffset, long logEndOffset) {
        return new FetchDataInfo(fetchOffsetMetadata, MemoryRecords.EMPTY, logStartOffset, logEndOffset);
    }
}
