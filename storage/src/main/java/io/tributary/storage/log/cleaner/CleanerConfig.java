package io.tributary.storage.log.cleaner;

/**
 * The log cleaner's broker-level settings (Kafka's {@code log.cleaner.*} names). The topic-level
 * ones ({@code min.cleanable.dirty.ratio}, {@code min.compaction.lag.ms},
 * {@code max.compaction.lag.ms}, {@code delete.retention.ms}) are in each log's
 * {@link io.tributary.storage.log.LogConfig}. Immutable.
 *
 * @param enable                {@code log.cleaner.enable}: run the cleaner at all
 * @param threads               {@code log.cleaner.threads}: logs cleaned at the same time
 * @param dedupeBufferSize      {@code log.cleaner.dedupe.buffer.size}: memory for the key → offset maps
 *                              of all threads together (24 bytes per key)
 * @param ioBufferSize          {@code log.cleaner.io.buffer.size}: the read and write buffers of a thread
 *                              (grown for a batch larger than it)
 * @param ioMaxBytesPerSecond   {@code log.cleaner.io.max.bytes.per.second}: reads and writes of all threads
 *                              together; {@code Double.MAX_VALUE} means unthrottled
 * @param backoffMs             {@code log.cleaner.backoff.ms}: how long a thread sleeps when no log needs cleaning
 */
public record CleanerConfig(
        boolean enable,
        int threads,
        long dedupeBufferSize,
        int ioBufferSize,
        double ioMaxBytesPerSecond,
        long backoffMs) {

    public static final long DEFAULT_DEDUPE_BUFFER_SIZE = 128L * 1024 * 1024;
    public static final int DEFAULT_IO_BUFFER_SIZE = 512 * 1024;
    public static final long DEFAULT_BACKOFF_MS = 15_000L;

    public CleanerConfig {
        if (threads < 1
                || dedupeBufferSize < 1024
                || ioBufferSize < 1024
                || ioMaxBytesPerSecond <= 0
                || backoffMs < 1) {
            throw new IllegalArgumentException("Invalid log cleaner config: threads " + threads + " (at least 1), "
                    + "dedupe buffer " + dedupeBufferSize + " and io buffer " + ioBufferSize + " (at least 1024), "
                    + "io max bytes per second " + ioMaxBytesPerSecond + " (positive), backoff " + backoffMs
                    + " ms (positive)");
        }
    }

    /** Kafka's defaults. */
    public static CleanerConfig defaults() {
        return new CleanerConfig(
                true, 1, DEFAULT_DEDUPE_BUFFER_SIZE, DEFAULT_IO_BUFFER_SIZE, Double.MAX_VALUE, DEFAULT_BACKOFF_MS);
    }

    /** One thread's share of the dedupe buffer, within what one map can address. */
    int mapBytesPerThread() {
        return (int) Math.min(Integer.MAX_VALUE, dedupeBufferSize / threads);
    }
}
