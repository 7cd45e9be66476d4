package io.tributary.storage.log;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The high watermark of a partition log with, once looked up, the segment and byte position it
 * falls on, so that a parked consumer fetch can count the bytes that became readable without
 * reading the log.
 *
 * <p><b>Invariants:</b> the value is kept within [log start offset, log end offset] by
 * {@link PartitionLog}, which alone sets it. A high watermark equal to the log end offset shares
 * the end's metadata and so is known without a lookup (one replica, or every follower caught up);
 * any other value starts with {@link LogOffsetMetadata#unknown} and is resolved at most once.
 * It is not stored on disk here: {@code LogManager} checkpoints it.
 *
 * <p><b>Thread-safety:</b> thread-safe. {@link #set} runs under the log's lock (truncation,
 * restarts, recovery); {@link #advance}, the leader's move forward as its followers catch up, takes
 * no lock, so that it never waits for an append's disk write. Both publish a new reference, so an
 * advance computed against a value that a truncation replaced fails its compare-and-set and
 * retries against the new log end. Readers take no lock, and a resolved position is cached only
 * if the value did not move meanwhile (compare-and-set).
 */
final class HighWatermark {

    private final AtomicReference<LogOffsetMetadata> value = new AtomicReference<>();

    HighWatermark(long offset, LogOffsetMetadata logEnd) {
        set(offset, logEnd);
    }

    long offset() {
        return value.get().messageOffset();
    }

    /** Sets the value; {@code logEnd} is the published log end, whose metadata is reused if they are equal. */
    void set(long offset, LogOffsetMetadata logEnd) {
        value.set(offset == logEnd.messageOffset() ? logEnd : LogOffsetMetadata.unknown(offset));
    }

    /**
     * Moves the value forward to {@code target}, bounded by the published log end; never back.
     *
     * @param logEnd the published log end, read again on each attempt
     * @return true if the value moved
     */
    boolean advance(long target, Supplier<LogOffsetMetadata> logEnd) {
        while (true) {
            LogOffsetMetadata current = value.get();
            LogOffsetMetadata end = logEnd.get();
            long bounded = Math.min(target, end.messageOffset());
            if (bounded <= current.messageOffset()) {
                return false;
            }
            LogOffsetMetadata next = bounded == end.messageOffset() ? end : LogOffsetMetadata.unknown(bounded);
            if (value.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    /**
     * The value with its segment and position, looked up with {@code resolver} (offset to
     * metadata) if not known yet.
     */
    LogOffsetMetadata metadata(LongFunction<LogOffsetMetadata> resolver) {
        LogOffsetMetadata current = value.get();
        if (current.hasPosition()) {
            return current;
        }
        LogOffsetMetadata resolved = resolver.apply(current.messageOffset());
        // a concurrent move keeps its own value: this lookup is then simply not cached
        value.compareAndSet(current, resolved);
        return resolved;
    }

    @Override
    public String toString() {
        return "HighWatermark(" + value.get() + ")";
    }
}
