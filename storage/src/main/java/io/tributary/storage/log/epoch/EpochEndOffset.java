package io.tributary.storage.log.epoch;

/**
 * The answer to {@link LeaderEpochFileCache#endOffsetFor}: the largest known epoch at or below the
 * requested one, and the offset after its last record. (-1, -1) when the epoch is unknown.
 */
public record EpochEndOffset(int epoch, long endOffset) {

    public static final int UNDEFINED_EPOCH = -1;
    public static final long UNDEFINED_EPOCH_OFFSET = -1L;
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET);
}
