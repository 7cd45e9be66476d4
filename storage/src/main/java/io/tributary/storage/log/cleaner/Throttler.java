package io.tributary.storage.log.cleaner;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Holds the cleaner's I/O to {@code log.cleaner.io.max.bytes.per.second}, shared by all cleaner
 * threads: a token bucket holding at most one second of bytes, refilled at the rate; a thread
 * that takes more than the bucket holds sleeps until the debt is paid back. An infinite or
 * non-positive rate disables throttling.
 *
 * <p>Thread-safe.
 */
final class Throttler {

    private final double bytesPerSecond;
    private final LongSupplier nanoTime;
    private double tokens;
    private long lastRefill;

    Throttler(double bytesPerSecond, LongSupplier nanoTime) {
        this.bytesPerSecond = bytesPerSecond;
        this.nanoTime = nanoTime;
        this.tokens = bytesPerSecond;
        this.lastRefill = nanoTime.getAsLong();
    }

    boolean enabled() {
        return bytesPerSecond > 0 && !Double.isInfinite(bytesPerSecond) && bytesPerSecond < Double.MAX_VALUE;
    }

    /**
     * Takes {@code bytes} from the bucket, sleeping while it is in debt, in slices of at most
     * 100 ms so that a shutdown ({@code stop} turning true) is not held up.
     */
    void acquire(long bytes, BooleanSupplier stop) throws InterruptedException {
        if (!enabled() || bytes <= 0) {
            return;
        }
        long sleepNanos;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            tokens = Math.min(bytesPerSecond, tokens + (now - lastRefill) / 1e9 * bytesPerSecond);
            lastRefill = now;
            tokens -= bytes;
            sleepNanos = tokens >= 0 ? 0 : (long) (-tokens / bytesPerSecond * 1e9);
        }
        long deadline = nanoTime.getAsLong() + sleepNanos;
        while (sleepNanos > 0 && !stop.getAsBoolean()) {
            long slice = Math.min(sleepNanos, 100_000_000L);
            Thread.sleep(slice / 1_000_000, (int) (slice % 1_000_000));
            sleepNanos = deadline - nanoTime.getAsLong();
        }
    }
}
