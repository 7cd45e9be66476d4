package io.tributary.storage.log.cleaner;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's key → latest offset map, in a fixed budget of memory
 * ({@code log.cleaner.dedupe.buffer.size} split over the cleaner threads), in the manner of
 * Kafka's {@code SkimpyOffsetMap}: an open-addressing hash table in one {@link ByteBuffer} whose
 * slots hold the MD5 digest of a key (16 bytes) and the offset (8 bytes). Keys themselves are
 * never stored, so a record costs 24 bytes whatever its key's size. Two keys with the same
 * digest would share a slot; with 128-bit digests that is not a practical concern (Kafka makes
 * the same trade).
 *
 * <p>The table is filled to at most {@value #LOAD_FACTOR} of its slots ({@link #isFull()}), so
 * probing stays short; the cleaner stops reading the dirty section when the map is full and
 * cleans up to the last offset it holds.
 *
 * <p>Not thread-safe: one per cleaner thread.
 */
final class OffsetMap {

    static final double LOAD_FACTOR = 0.9;
    private static final int HASH_SIZE = 16;
    private static final int SLOT_SIZE = HASH_SIZE + Long.BYTES;

    private final ByteBuffer bytes;
    private final int slots;
    private final MessageDigest digest;
    private final byte[] hash = new byte[HASH_SIZE];
    private final byte[] probe = new byte[HASH_SIZE];
    private int entries;
    private long latestOffset = -1;

    /** A map in {@code memoryBytes} bytes (at least one slot). */
    OffsetMap(int memoryBytes) {
        this.slots = Math.max(1, memoryBytes / SLOT_SIZE);
        this.bytes = ByteBuffer.allocate(slots * SLOT_SIZE);
        try {
            this.digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no MD5", e);
        }
    }

    /** How many keys the map takes before {@link #isFull()}. */
    int capacity() {
        return Math.max(1, (int) (slots * LOAD_FACTOR));
    }

    int size() {
        return entries;
    }

    boolean isFull() {
        return entries >= capacity();
    }

    /** The largest offset put since the last {@link #clear()}, or -1. */
    long latestOffset() {
        return latestOffset;
    }

    /** Records {@code offset} as the latest of {@code key}; the caller checks {@link #isFull()} first. */
    void put(ByteBuffer key, long offset) {
        hashInto(key, hash);
        int slot = firstSlot(hash);
        for (int attempt = 0; attempt < slots; attempt++) {
            int position = slot * SLOT_SIZE;
            if (isEmpty(position)) {
                bytes.put(position, hash);
                bytes.putLong(position + HASH_SIZE, offset);
                entries++;
                latestOffset = Math.max(latestOffset, offset);
                return;
            }
            bytes.get(position, probe);
            if (Arrays.equals(probe, hash)) {
                bytes.putLong(position + HASH_SIZE, offset);
                latestOffset = Math.max(latestOffset, offset);
                return;
            }
            slot = (slot + 1) % slots;
        }
        throw new IllegalStateException("Offset map of " + slots + " slots is full");
    }

    /** The latest offset of {@code key}, or -1 if the map does not hold it. */
    long get(ByteBuffer key) {
        hashInto(key, hash);
        int slot = firstSlot(hash);
        for (int attempt = 0; attempt < slots; attempt++) {
            int position = slot * SLOT_SIZE;
            if (isEmpty(position)) {
                return -1;
            }
            bytes.get(position, probe);
            if (Arrays.equals(probe, hash)) {
                return bytes.getLong(position + HASH_SIZE);
            }
            slot = (slot + 1) % slots;
        }
        return -1;
    }

    void clear() {
        Arrays.fill(bytes.array(), (byte) 0);
        entries = 0;
        latestOffset = -1;
    }

    /** A slot is empty while its offset field is 0 and its hash all zeros (an MD5 is never that). */
    private boolean isEmpty(int position) {
        for (int i = 0; i < HASH_SIZE; i++) {
            if (bytes.get(position + i) != 0) {
                return false;
            }
        }
        return true;
    }

    private int firstSlot(byte[] h) {
        int value = ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
        return Math.floorMod(value, slots);
    }

    private void hashInto(ByteBuffer key, byte[] into) {
        digest.reset();
        digest.update(key.duplicate());
        try {
            digest.digest(into, 0, HASH_SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
