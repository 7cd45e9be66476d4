package io.tributary.storage.log.index;

/**
 * An offset index entry: the absolute offset of a batch's last record and the byte position of
 * that batch in its segment's {@code .log} file.
 */
public record OffsetPosition(long offset, int position) {}
