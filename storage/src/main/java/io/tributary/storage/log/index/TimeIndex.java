package io.tributary.storage.log.index;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The sparse time index of one segment: {@code {baseOffset:020d}.timeindex}.
 *
 * <p><b>Bytes on disk:</b> 12-byte entries, no header:
 * <pre>
 *   timestamp      int64  (the largest record timestamp in the segment up to this entry)
 *   relativeOffset int32  (absolute offset - baseOffset: the last offset of the batch that holds it)
 * </pre>
 * Both fields increase strictly from entry to entry (an entry is added only when the timestamp
 * grew). Entries are added together with offset index entries, plus one final entry holding the
 * segment's maximum when the segment becomes inactive or is closed. The last slot is kept for that
 * final entry: {@link #isFull()} is true one entry early.
 *
 * <p>To find the first offset with a timestamp at or after {@code t}: look up the largest entry
 * with a timestamp at most {@code t}, then scan the log from that offset.
 *
 * <p>Crash behaviour, preallocation and threading: see {@link AbstractIndex}.
 */
public final class TimeIndex extends AbstractIndex {

    public static final int ENTRY_SIZE = 12;

    public TimeIndex(File file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize, true);
    }

    @Override
    protected int entrySize() {
        return ENTRY_SIZE;
    }

    @Override
    protected long keyAt(ByteBuffer buffer, int n) {
        return buffer.getLong(n * ENTRY_SIZE);
    }

    /** Full one entry early: the last slot is for the entry written when the segment is rolled. */
    @Override
    public boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    public TimestampOffset entry(int n) {
        return read(buffer -> {
            if (n < 0 || n >= entries()) {
                throw new IndexOutOfBoundsException("Slot " + n + " of " + entries() + " in " + file());
            }
            return parse(buffer, n);
        });
    }

    /** The last entry, or (NO_TIMESTAMP, baseOffset) when empty. */
    public TimestampOffset lastEntry() {
        return read(buffer -> {
            int count = entries();
            return count == 0 ? new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset()) : parse(buffer, count - 1);
        });
    }

    /**
     * The largest entry whose timestamp is at most {@code targetTimestamp}; (NO_TIMESTAMP, baseOffset)
     * if none.
     */
    public TimestampOffset lookup(long targetTimestamp) {
        return read(buffer -> {
            int slot = largestLowerBoundSlotFor(buffer, targetTimestamp, entries());
            return slot == -1 ? new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset()) : parse(buffer, slot);
        });
    }

    /**
     * Appends (timestamp, offset) if the timestamp is above the last entry's; otherwise nothing.
     *
     * @param skipFullCheck true only for the final entry written when the segment stops being active
     * @throws InvalidIndexEntryException if the offset goes backwards, overflows, or the index is full
     */
    public void maybeAppend(long timestamp, long offset, boolean skipFullCheck) {
        if (!skipFullCheck && isFull()) {
            throw new InvalidIndexEntryException(
                    "Attempt to append to a full time index (size = " + entries() + ") " + file().getAbsolutePath());
        }
        TimestampOffset last = lastEntry();
        if (entries() > 0 && offset < last.offset()) {
            throw new InvalidIndexEntryException("Attempt to append offset " + offset + " smaller than the last offset "
                    + last.offset() + " to time index " + file().getAbsolutePath());
        }
        if (entries() == 0 || timestamp > last.timestamp()) {
            int relative = relativeOffset(offset);
            appendEntry(buffer -> {
                buffer.putLong(timestamp);
                buffer.putInt(relative);
            });
        }
    }

    /** Removes every entry whose offset is at or above {@code offset}. */
    public void truncateTo(long offset) {
        int count = entries();
        int keep = read(buffer -> {
            int n = count;
            while (n > 0 && baseOffset() + buffer.getInt((n - 1) * ENTRY_SIZE + 8) >= offset) {
                n--;
            }
            return n;
        });
        truncateToEntries(keep);
    }

    @Override
    public void sanityCheck() {
        if (length() % ENTRY_SIZE != 0) {
            throw new CorruptIndexException("Time index file " + file().getAbsolutePath() + " has length " + length()
                    + ", not a multiple of " + ENTRY_SIZE);
        }
        if (entries() == 0) {
            return;
        }
        TimestampOffset last = lastEntry();
        TimestampOffset first = entry(0);
        if (last.timestamp() < first.timestamp()) {
            throw new CorruptIndexException("Corrupt time index found, time index file " + file().getAbsolutePath()
                    + " has non-zero size but the last timestamp is " + last.timestamp()
                    + " which is less than the first timestamp " + first.timestamp());
        }
        if (last.offset() < baseOffset()) {
            throw new CorruptIndexException("Corrupt time index found, time index file " + file().getAbsolutePath()
                    + " has non-zero size but the last offset is " + last.offset()
                    + " which is less than the base offset " + baseOffset());
        }
    }

    private TimestampOffset parse(ByteBuffer buffer, int n) {
        return new TimestampOffset(buffer.getLong(n * ENTRY_SIZE), baseOffset() + buffer.getInt(n * ENTRY_SIZE + 8));
    }
}
