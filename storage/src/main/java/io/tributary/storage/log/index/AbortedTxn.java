package io.tributary.storage.log.index;

import java.nio.ByteBuffer;

/**
 * One aborted transaction, an entry of a {@code .txnindex} file (Kafka's {@code AbortedTxn}).
 *
 * <p><b>Bytes on disk</b>, {@value #SIZE} bytes, big-endian:
 * <pre>
 *   version          int16  (0)
 *   producerId       int64
 *   firstOffset      int64  (the producer's first batch in the transaction on this partition)
 *   lastOffset       int64  (the offset of the ABORT marker)
 *   lastStableOffset int64  (the partition's last stable offset once the marker was written)
 * </pre>
 * A read_committed consumer drops the producer's records from {@code firstOffset} until it
 * reaches the marker; {@code lastStableOffset} tells a search that no later entry can concern a
 * fetch ending below it.
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {

    public static final short CURRENT_VERSION = 0;
    public static final int SIZE = 2 + 4 * Long.BYTES;

    /** Writes the entry at the buffer's position, which advances by {@value #SIZE}. */
    public void writeTo(ByteBuffer buffer) {
        buffer.putShort(CURRENT_VERSION)
                .putLong(producerId)
                .putLong(firstOffset)
                .putLong(lastOffset)
                .putLong(lastStableOffset);
    }

    /**
     * Reads an entry at the buffer's position, which advances by {@value #SIZE}.
     *
     * @throws CorruptIndexException when the entry has a version this broker does not know
     */
    public static AbortedTxn readFrom(ByteBuffer buffer, String file) {
        short version = buffer.getShort();
        if (version != CURRENT_VERSION) {
            throw new CorruptIndexException("Unknown aborted transaction version " + version + " in " + file);
        }
        return new AbortedTxn(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }
}
