package io.tributary.storage.log;

/**
 * Where an offset lives: the offset, the base offset of its segment and the byte position of its
 * batch in that segment's {@code .log} file. The fetch path compares two of these to count the
 * bytes between them without reading the log.
 */
public record LogOffsetMetadata(long messageOffset, long segmentBaseOffset, int relativePositionInSegment) {

    /** Metadata for an offset whose segment and position are not known. */
    public static LogOffsetMetadata unknown(long offset) {
        return new LogOffsetMetadata(offset, -1L, -1);
    }

    public boolean hasPosition() {
        return segmentBaseOffset >= 0 && relativePositionInSegment >= 0;
    }

    /** True if both lie in the same segment, so {@link #positionDiff} is meaningful. */
    public boolean onSameSegment(LogOffsetMetadata that) {
        return hasPosition() && that.hasPosition() && segmentBaseOffset == that.segmentBaseOffset;
    }

    /** Bytes from {@code that} to this; both must be in the same segment. */
    public int positionDiff(LogOffsetMetadata that) {
        if (!onSameSegment(that)) {
            throw new IllegalArgumentException(this + " and " + that + " are not in the same segment");
        }
        return relativePositionInSegment - that.relativePositionInSegment;
    }
}
