package io.tributary.storage.log;

/**
 * What an append did.
 *
 * @param firstOffset          offset of the first record appended (-1 when nothing was appended)
 * @param lastOffset           offset of the last record appended (-1 when nothing was appended)
 * @param maxTimestamp         largest batch max timestamp appended, or -1 (NO_TIMESTAMP)
 * @param offsetOfMaxTimestamp last offset of the batch carrying {@code maxTimestamp}, or -1
 * @param shallowCount         number of record batches appended
 * @param validBytes           bytes appended
 * @param logStartOffset       the log start offset after the append
 */
public record LogAppendInfo(
        long firstOffset,
        long lastOffset,
        long maxTimestamp,
        long offsetOfMaxTimestamp,
        int shallowCount,
        int validBytes,
        long logStartOffset) {

    /** Number of offsets assigned. */
    public long numMessages() {
        return firstOffset < 0 ? 0 : lastOffset - firstOffset + 1;
    }
}
