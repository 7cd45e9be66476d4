package io.tributary.storage.log;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The high watermark of a partition log, kept for the replication layer, with, once looked up,
 * the segment and byte position it falls on, so that a parked consumer fetch can count the bytes
 * that became readable without reading the log. Obtained from {@link PartitionLog#highWatermark()}:
 * the leader moves it forward as its followers catch up ({@link #maybeIncrement}), a follower sets
 * it from its leader's ({@link #update}).
 *
 * <p><b>Invariants:</b> the value lies within [log start offset, log end offset]: {@link #update}
 * clamps it, {@link #maybeIncrement} bounds it by the log end, and a truncation lowers it with the
 * log end. A high watermark equal to the log end offset shares the end's metadata and so is known
 * without a lookup (one replica, or every follower caught up); any other value starts with
 * {@link LogOffsetMetadata#unknown} and is resolved at most once. It is not stored on disk here:
 * {@code LogManager} checkpoints it.
 *
 * <p><b>Thread-safety:</b> thread-safe. {@link #update} and {@link #set} run under the log's lock
 * (truncation, restarts, recovery); {@link #maybeIncrement}, the leader's move forward, takes no
 * lock, so that it never waits for an append's disk write. Both publish a new reference, so an
 * advance computed against a value that a truncation replaced fails its compare-and-set and
 * retries against the new log end. Readers take no lock, and a resolved position is cached only
 * if the value did not move meanwhile (compare-and-set).
 */
public final class HighWatermark {

    private final AtomicReference<LogOffsetMetadata> value = new AtomicReference<>();
    private final Object lock;
    private final Supplier<LogOffsetMetadata> logEnd;
    private final LongSupplier logStartOffset;
    private final LongFunction<LogOffsetMetadata> positionLookup;

    /**
     * @param lock           the log's lock, taken by {@link #update}
     * @param logEnd         the published log end
     * @param positionLookup an offset's segment and position (a read of the log)
     */
    HighWatermark(
            long offset,
            Object lock,
            Supplier<LogOffsetMetadata> logEnd,
            LongSupplier logStartOffset,
            LongFunction<LogOffsetMetadata> positionLookup) {
        this.lock = lock;
        this.logEnd = logEnd;
        this.logStartOffset = logStartOffset;
        this.positionLookup = positionLookup;
        set(offset);
    }

    public long offset() {
        return value.get().messageOffset();
    }

    /**
     * The value with its segment and position. The position is looked up at most once per value;
     * when the high watermark is the log end it is known without a lookup.
     */
    public LogOffsetMetadata metadata() {
        LogOffsetMetadata current = value.get();
        if (current.hasPosition()) {
            return current;
        }
        LogOffsetMetadata resolved = positionLookup.apply(current.messageOffset());
        // a concurrent move keeps its own value: this lookup is then simply not cached
        value.compareAndSet(current, resolved);
        return resolved;
    }

    /**
     * The leader's move: forward to {@code target}, bounded by the published log end (read again
     * on each attempt); never back, and without the log's lock, so that a follower's progress never
     * waits for an append's write or fsync.
     *
     * @return true if the value moved
     */
    public boolean maybeIncrement(long target) {
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
     * Sets the value, clamped to [log start offset, log end offset], under the log's lock.
     *
     * @return the value set
     */
    public long update(long newHighWatermark) {
        synchronized (lock) {
            long clamped = Math.max(
                    logStartOffset.getAsLong(),
                    Math.min(newHighWatermark, logEnd.get().messageOffset()));
            set(clamped);
            return clamped;
        }
    }

    /** Sets the value as it is (under the log's lock); the log end's metadata is reused if they are equal. */
    void set(long offset) {
        LogOffsetMetadata end = logEnd.get();
        value.set(offset == end.messageOffset() ? end : LogOffsetMetadata.unknown(offset));
    }

    @Override
    public String toString() {
        return "HighWatermark(" + value.get() + ")";
    }
}
