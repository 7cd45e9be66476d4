package io.tributary.storage.log.index;

/**
 * A time index entry: the largest timestamp seen in a segment up to and including the batch
 * whose last record has absolute offset {@code offset}.
 */
public record TimestampOffset(long timestamp, long offset) {}
