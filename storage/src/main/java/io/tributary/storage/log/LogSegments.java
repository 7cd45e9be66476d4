package io.tributary.storage.log;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segments of one partition log keyed by base offset: the map every lookup from an offset to
 * its segment goes through (floor, higher, ranges), and the log's size and segment count.
 *
 * <p><b>Invariants</b> (kept by the callers, which own the segments): keys are the segments' own
 * base offsets; once the log is open the map is never empty; the last segment is the active one
 * that takes appends. This class holds no files of its own and does no I/O, so a segment removed
 * here must still be closed or deleted by whoever removed it.
 *
 * <p><b>Thread-safety:</b> thread-safe and non-blocking (a {@link ConcurrentSkipListMap}). Adds
 * and removes happen under the owning {@link PartitionLog}'s lock; lock-free readers may run
 * concurrently and see each segment either present or not, never a half-updated map. Views and
 * iteration are weakly consistent.
 */
final class LogSegments {

    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    /** Adds {@code segment} under its base offset, replacing any segment with the same base. */
    void add(LogSegment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    /**
     * Removes {@code segment} if it is still the one stored under its base offset.
     *
     * @return true if it was removed
     */
    boolean remove(LogSegment segment) {
        return segments.remove(segment.baseOffset(), segment);
    }

    /** A snapshot of the segments whose base offset is above {@code offset}, oldest first. */
    List<LogSegment> segmentsAbove(long offset) {
        return List.copyOf(segments.tailMap(offset, false).values());
    }

    /** True if {@code segment} is the segment stored under its base offset (not removed or replaced). */
    boolean contains(LogSegment segment) {
        return segments.get(segment.baseOffset()) == segment;
    }

    boolean isEmpty() {
        return segments.isEmpty();
    }

    /** The segment that takes appends: the one with the largest base offset. */
    LogSegment activeSegment() {
        Map.Entry<Long, LogSegment> last = segments.lastEntry();
        if (last == null) {
            throw new NoSuchElementException("The log has no segments");
        }
        return last.getValue();
    }

    /** The smallest base offset. */
    long firstBaseOffset() {
        return segments.firstKey();
    }

    /** The oldest segment. */
    LogSegment firstSegment() {
        return segments.firstEntry().getValue();
    }

    /** The segment that would hold {@code offset}: the one with the largest base offset at or below it, or null. */
    LogSegment floorSegment(long offset) {
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
        return entry == null ? null : entry.getValue();
    }

    /** The segment with the smallest base offset above {@code baseOffset}, or null. */
    LogSegment higherSegment(long baseOffset) {
        Map.Entry<Long, LogSegment> entry = segments.higherEntry(baseOffset);
        return entry == null ? null : entry.getValue();
    }

    /**
     * The offset after the last one {@code segment} can hold: the next segment's base offset, or
     * null for the last segment.
     */
    Long nextBaseOffset(LogSegment segment) {
        return segments.higherKey(segment.baseOffset());
    }

    /**
     * The segments that may hold offsets in [{@code from}, {@code to}): from the one containing
     * {@code from} (or the first, if {@code from} lies below it) to the last one with a base
     * offset below {@code to}. A live view, oldest first.
     */
    Collection<LogSegment> range(long from, long to) {
        if (to <= from) {
            return List.of();
        }
        Long floor = segments.floorKey(from);
        long start = floor == null ? segments.firstKey() : floor;
        return start >= to ? List.of() : segments.subMap(start, true, to, false).values();
    }

    /** Every segment, oldest first: a live, weakly consistent view. */
    Collection<LogSegment> values() {
        return segments.values();
    }

    /** A snapshot of the segments, oldest first. */
    List<LogSegment> snapshot() {
        return List.copyOf(segments.values());
    }

    /** A snapshot of the base offsets, oldest first. */
    List<Long> baseOffsets() {
        return List.copyOf(segments.keySet());
    }

    int numberOfSegments() {
        return segments.size();
    }

    /** Total bytes of all segments' {@code .log} files. */
    long sizeInBytes() {
        long size = 0;
        for (LogSegment segment : segments.values()) {
            size += segment.size();
        }
        return size;
    }

    /** Closes every segment's files without flushing (what a crash leaves; error paths and tests). */
    void closeHandlers() {
        segments.values().forEach(LogSegment::closeHandlers);
    }

    @Override
    public String toString() {
        return "LogSegments" + segments.keySet();
    }
}
