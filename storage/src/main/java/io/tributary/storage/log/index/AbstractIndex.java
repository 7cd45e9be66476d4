package io.tributary.storage.log.index;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.common.utils.ByteBufferUnmapper;
import org.apache.kafka.common.utils.Utils;

/**
 * A sparse index of fixed-size entries sorted by offset, stored in a memory-mapped file.
 *
 * <p><b>On disk:</b> a flat array of big-endian entries with no header. A writable (active
 * segment) index file is preallocated to {@code maxIndexSize} rounded down to a whole number of
 * entries; the tail past the last entry is zeros. When the segment becomes inactive, and on
 * close, the file is trimmed to exactly {@code entries * entrySize} bytes. When a file is opened,
 * its whole length is taken as entries, exactly as Kafka does.
 *
 * <p><b>After a crash</b> an index can therefore contain trailing zero entries, or miss the last
 * entries: {@link #sanityCheck()} detects the former, and the log rebuilds every index of the
 * segments it rescans (those past the recovery point), which covers both.
 *
 * <p><b>Thread-safety:</b> appends come from one writer (the partition log's lock); lookups
 * run concurrently with them. The entry count is published after the entry bytes, and a
 * read-write lock keeps lookups off a mapping that {@link #resize} or {@link #close} unmaps.
 */
public abstract class AbstractIndex implements Closeable {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile File file;
    private final long baseOffset;
    private final int maxIndexSize;
    private final boolean writable;
    private MappedByteBuffer mmap;
    private volatile int entries;
    private volatile int maxEntries;

    protected AbstractIndex(File file, long baseOffset, int maxIndexSize, boolean writable) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.maxIndexSize = maxIndexSize;
        this.writable = writable;
        boolean newlyCreated = !file.exists() || file.length() == 0;
        try (RandomAccessFile raf = new RandomAccessFile(file, writable ? "rw" : "r")) {
            if (newlyCreated && writable) {
                raf.setLength(roundDownToEntries(maxIndexSize));
            }
            long length = raf.length();
            this.mmap = raf.getChannel()
                    .map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, 0, length);
            this.entries = newlyCreated ? 0 : (int) (length / entrySize());
            this.maxEntries = (int) (length / entrySize());
        }
    }

    /** Bytes per entry. */
    protected abstract int entrySize();

    /** The key an entry is sorted by (offset or timestamp) at slot {@code n} of {@code buffer}. */
    protected abstract long keyAt(ByteBuffer buffer, int n);

    /** Throws {@link CorruptIndexException} if the opened file cannot be a valid index. */
    public abstract void sanityCheck();

    public File file() {
        return file;
    }

    public long baseOffset() {
        return baseOffset;
    }

    public int maxIndexSize() {
        return maxIndexSize;
    }

    public int entries() {
        return entries;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** Bytes of valid entries. */
    public int sizeInBytes() {
        return entries * entrySize();
    }

    /** Current length of the file, including preallocated space. */
    public long length() {
        return file.length();
    }

    public boolean isFull() {
        return entries >= maxEntries;
    }

    /** {@code offset - baseOffset} as a 32-bit int, or an exception naming the file. */
    protected int relativeOffset(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new InvalidIndexEntryException("Offset " + offset + " does not fit relative to base offset "
                    + baseOffset + " of index " + file.getAbsolutePath());
        }
        return (int) relative;
    }

    /** Runs {@code body} under the read lock with a private view of the mapping. */
    protected <T> T read(java.util.function.Function<ByteBuffer, T> body) {
        lock.readLock().lock();
        try {
            return body.apply(mapping().duplicate());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Writes one entry at slot {@link #entries()} and publishes it. Callers check ordering first.
     */
    protected void appendEntry(java.util.function.Consumer<ByteBuffer> writer) {
        lock.writeLock().lock();
        try {
            if (entries >= maxEntries) {
                throw new InvalidIndexEntryException(
                        "Attempt to append to a full index (size = " + entries + ") " + file.getAbsolutePath());
            }
            ByteBuffer view = mapping().duplicate();
            view.position(entries * entrySize());
            writer.accept(view);
            entries = entries + 1;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The slot of the largest entry whose key is at most {@code target}, or -1 if every entry is
     * larger (or there is none). Binary search over the published entries.
     */
    protected int largestLowerBoundSlotFor(ByteBuffer buffer, long target, int count) {
        if (count == 0 || keyAt(buffer, 0) > target) {
            return -1;
        }
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (keyAt(buffer, mid) <= target) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The slot of the smallest entry whose key is at least {@code target}, or -1 if none. */
    protected int smallestUpperBoundSlotFor(ByteBuffer buffer, long target, int count) {
        if (count == 0 || keyAt(buffer, count - 1) < target) {
            return -1;
        }
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keyAt(buffer, mid) >= target) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Drops every entry from slot {@code n} on (the bytes stay until overwritten or trimmed). */
    protected void truncateToEntries(int n) {
        lock.writeLock().lock();
        try {
            entries = Math.min(entries, Math.max(0, n));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Drops every entry. */
    public void reset() throws IOException {
        truncateToEntries(0);
        resize(maxIndexSize);
    }

    /**
     * Sets the file length to {@code newSize} rounded down to whole entries (never below the valid
     * entries) and remaps it. Returns whether the length changed.
     */
    public boolean resize(int newSize) throws IOException {
        lock.writeLock().lock();
        try {
            long rounded = Math.max(roundDownToEntries(newSize), (long) entries * entrySize());
            if (mmap != null && rounded == mmap.capacity()) {
                return false;
            }
            unmap();
            try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
                raf.setLength(rounded);
                mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, rounded);
                maxEntries = (int) (rounded / entrySize());
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Shrinks the file to the valid entries; done when the segment becomes inactive and on close. */
    public void trimToValidSize() throws IOException {
        resize(entries * entrySize());
    }

    /** Forces the mapped entries to disk. */
    public void flush() {
        lock.readLock().lock();
        try {
            if (writable && mmap != null) {
                mmap.force();
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Renames the file; the mapping stays valid. */
    public void renameTo(File target) throws IOException {
        try {
            Utils.atomicMoveWithFallback(file.toPath(), target.toPath(), false);
        } finally {
            file = target;
        }
    }

    /** Unmaps and deletes the file; true if it existed. */
    public boolean deleteIfExists() throws IOException {
        lock.writeLock().lock();
        try {
            unmap();
            return Files.deleteIfExists(file.toPath());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Trims to the valid entries and unmaps. */
    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            if (mmap != null && writable) {
                trimToValidSize();
            }
            unmap();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Unmaps without trimming: what a crash leaves behind (used by tests and by cleanup paths). */
    public void closeHandler() throws IOException {
        lock.writeLock().lock();
        try {
            unmap();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The live mapping; a lookup after close fails here rather than touch unmapped memory. */
    private MappedByteBuffer mapping() {
        MappedByteBuffer current = mmap;
        if (current == null) {
            throw new IllegalStateException("Index " + file.getAbsolutePath() + " is closed");
        }
        return current;
    }

    private void unmap() throws IOException {
        if (mmap != null) {
            MappedByteBuffer old = mmap;
            mmap = null;
            maxEntries = 0;
            ByteBufferUnmapper.unmap(file.getAbsolutePath(), old);
        }
    }

    private long roundDownToEntries(long size) {
        return size - size % entrySize();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(file=" + file + ", baseOffset=" + baseOffset + ", entries=" + entries
                + ", maxEntries=" + maxEntries + ")";
    }
}
