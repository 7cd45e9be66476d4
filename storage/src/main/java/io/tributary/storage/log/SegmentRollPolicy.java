package io.tributary.storage.log;

/**
 * When the active segment must give way to a new one before an append (Kafka's
 * {@code LogSegment.shouldRoll}): it is too full for {@code segment.bytes}, too old for
 * {@code segment.ms}, one of its indexes is full, or the append's last offset cannot be stored
 * relative to the segment's base offset in 32 bits. The roll itself is {@link LocalLog#roll}'s.
 *
 * <p>Stateless and thread-safe; {@link LogAppender} asks it under the log's lock before every
 * append.
 */
final class SegmentRollPolicy {

    private SegmentRollPolicy() {}

    /**
     * Whether an append of {@code messagesSize} bytes, with the given largest timestamp and last
     * offset, must go to a new segment rather than {@code segment}. Age for {@code segment.ms} is
     * measured from the first batch's timestamp to the append's, or from the segment's creation to
     * {@code now} when either has no timestamp. An empty segment is never too old, nor too full for
     * {@code segment.bytes}.
     */
    static boolean shouldRoll(
            LogSegment segment,
            int messagesSize,
            long maxTimestampInMessages,
            long maxOffsetInMessages,
            long now,
            LogConfig config) {
        int size = segment.size();
        boolean reachedRollMs =
                size > 0 && timeWaitedForRoll(segment, now, maxTimestampInMessages) > config.segmentMs();
        return reachedRollMs
                || (size > 0 && (long) size + messagesSize > config.segmentBytes())
                || segment.offsetIndex().isFull()
                || segment.timeIndex().isFull()
                || !fitsAsRelativeOffset(segment, maxOffsetInMessages);
    }

    private static long timeWaitedForRoll(LogSegment segment, long now, long messageTimestamp) {
        long first = segment.firstBatchTimestamp();
        return first >= 0 && messageTimestamp >= 0 ? messageTimestamp - first : now - segment.created();
    }

    /** The index files store offsets relative to the base offset, in 32 bits. */
    private static boolean fitsAsRelativeOffset(LogSegment segment, long offset) {
        long relative = offset - segment.baseOffset();
        return relative >= 0 && relative <= Integer.MAX_VALUE;
    }
}
