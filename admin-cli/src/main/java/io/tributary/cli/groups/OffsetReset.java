package io.tributary.cli.groups;

/**
 * Where {@code groups reset-offsets} moves a partition's committed offset. Pure: the caller looks
 * up the partition's earliest and latest offsets, its committed offset and, for a time, the
 * earliest offset at or after it; {@link #newOffset} decides. As Kafka's tool does, an explicit or
 * shifted offset is clamped into {@code [earliest, latest]}.
 */
public sealed interface OffsetReset {

    /** A partition's offsets; {@code current} (committed) and {@code atTimestamp} may be null. */
    record Offsets(long earliest, long latest, Long current, Long atTimestamp) {}

    record ToEarliest() implements OffsetReset {}

    record ToLatest() implements OffsetReset {}

    record ToOffset(long offset) implements OffsetReset {}

    record ShiftBy(long delta) implements OffsetReset {}

    /** To the first record with a timestamp at or after {@code epochMillis}; the log end if none. */
    record ToTimestamp(long epochMillis) implements OffsetReset {}

    default long newOffset(String partition, Offsets offsets) {
        if (this instanceof ToEarliest) {
            return offsets.earliest();
        }
        if (this instanceof ToLatest) {
            return offsets.latest();
        }
        if (this instanceof ToOffset o) {
            return clamp(o.offset(), offsets);
        }
        if (this instanceof ShiftBy s) {
            if (offsets.current() == null) {
                throw new IllegalArgumentException("--shift-by needs a committed offset, and " + partition
                        + " has none; use --to-offset, --to-earliest or --to-latest for it");
            }
            return clamp(offsets.current() + s.delta(), offsets);
        }
        // ToTimestamp
        return offsets.atTimestamp() == null ? offsets.latest() : offsets.atTimestamp();
    }

    private static long clamp(long offset, Offsets offsets) {
        return Math.max(offsets.earliest(), Math.min(offsets.latest(), offset));
    }
}
