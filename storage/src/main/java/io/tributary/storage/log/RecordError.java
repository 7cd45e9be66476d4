package io.tributary.storage.log;

/**
 * One record an append refused, as the Produce response's {@code record_errors} names it.
 *
 * @param batchIndex the record's position in its batch, from 0
 * @param message    why it was refused
 */
public record RecordError(int batchIndex, String message) {}
