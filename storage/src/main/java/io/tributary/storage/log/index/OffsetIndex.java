package io.tributary.storage.log.index;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The sparse offset index of one segment: {@code {baseOffset:020d}.index}.
 *
 * <p><b>Bytes on disk:</b> 8-byte entries, no header:
 * <pre>
 *   relativeOffset int32  (absolute offset - baseOffset of the segment, the last offset of a batch)
 *   position       int32  (byte position of that batch in the segment's .log file)
 * </pre>
 * Entries are strictly increasing in both fields. One is added every {@code index.interval.bytes}
 * of log, naming the batch that crossed the interval, so that Kafka's {@code DumpLogSegments}
 * finds a batch whose last offset is the entry's offset at every entry's position. To find an
 * offset, look up the largest entry at or below it and scan batch headers forward from its
 * position; offsets below the first entry start the scan at position 0.
 *
 * <p>Crash behaviour, preallocation and threading: see {@link AbstractIndex}.
 */
public final class OffsetIndex extends AbstractIndex {

    public static final int ENTRY_SIZE = 8;

    public OffsetIndex(File file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize, true);
    }

    @Override
    protected int entrySize() {
        return ENTRY_SIZE;
    }

    @Override
    protected long keyAt(ByteBuffer buffer, int n) {
        return buffer.getInt(n * ENTRY_SIZE);
    }

    /** The entry at slot {@code n}. */
    public OffsetPosition entry(int n) {
        return read(buffer -> {
            if (n < 0 || n >= entries()) {
                throw new IndexOutOfBoundsException("Slot " + n + " of " + entries() + " in " + file());
            }
            return parse(buffer, n);
        });
    }

    /** The last entry, or (baseOffset, 0) when empty. */
    public OffsetPosition lastEntry() {
        return read(buffer -> {
            int count = entries();
            return count == 0 ? new OffsetPosition(baseOffset(), 0) : parse(buffer, count - 1);
        });
    }

    /** The absolute offset of the last entry, or the base offset when empty. */
    public long lastOffset() {
        return lastEntry().offset();
    }

    /**
     * The largest entry whose offset is at most {@code targetOffset}; (baseOffset, 0) if none, so
     * the caller scans the log from its start.
     */
    public OffsetPosition lookup(long targetOffset) {
        return read(buffer -> {
            int slot = largestLowerBoundSlotFor(buffer, targetOffset - baseOffset(), entries());
            return slot == -1 ? new OffsetPosition(baseOffset(), 0) : parse(buffer, slot);
        });
    }

    /**
     * Appends (offset, position). The offset must be above the last entry's.
     *
     * @throws InvalidIndexEntryException if it is not, if the offset overflows 32 bits relative to the
     *                                    base offset, or if the index is full
     */
    public void append(long offset, int position) {
        int relative = relativeOffset(offset);
        if (entries() > 0 && offset <= lastOffset()) {
            throw new InvalidIndexEntryException("Attempt to append offset " + offset + " at position " + position
                    + " no larger than the last offset " + lastOffset() + " to " + file().getAbsolutePath());
        }
        appendEntry(buffer -> {
            buffer.putInt(relative);
            buffer.putInt(position);
        });
    }

    /** Removes every entry whose offset is at or above {@code offset}. */
    public void truncateTo(long offset) {
        int slot = read(buffer -> smallestUpperBoundSlotFor(buffer, offset - baseOffset(), entries()));
        if (slot != -1) {
            truncateToEntries(slot);
        }
    }

    @Override
    public void sanityCheck() {
        if (length() % ENTRY_SIZE != 0) {
            throw new CorruptIndexException("Index file " + file().getAbsolutePath() + " has length " + length()
                    + ", not a multiple of " + ENTRY_SIZE);
        }
        if (entries() != 0 && lastOffset() <= baseOffset()) {
            throw new CorruptIndexException("Corrupt index found, index file " + file().getAbsolutePath()
                    + " has non-zero size but the last offset is " + lastOffset()
                    + " which is no greater than the base offset " + baseOffset());
        }
    }

    private OffsetPosition parse(ByteBuffer buffer, int n) {
        return new OffsetPosition(baseOffset() + buffer.getInt(n * ENTRY_SIZE), buffer.getInt(n * ENTRY_SIZE + 4));
    }
}
