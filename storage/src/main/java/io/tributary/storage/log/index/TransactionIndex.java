package io.tributary.storage.log.index;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Utils;

/**
 * The aborted transactions whose ABORT marker lies in one segment: {@code {baseOffset:020d}.txnindex}
 * (Kafka's {@code TransactionIndex}), which a read_committed fetch reads to learn which records to
 * drop, without scanning the log.
 *
 * <p><b>Bytes on disk:</b> {@link AbortedTxn} entries back to back, no header, in increasing
 * {@code lastOffset} (marker) order. Unlike the offset and time indexes it is not preallocated:
 * the file is created by the first entry, so most segments have none.
 *
 * <p><b>After a crash</b> the file may miss entries of the unflushed tail or end in a torn entry
 * (a partial entry is ignored). The log loader rebuilds it, as the other indexes, for every
 * segment it rescans: it replays the batches and their markers from the transactions still open
 * before that segment.
 *
 * <p><b>Thread-safety:</b> appends and truncation run under the owning log's lock; reads (a
 * fetch) may run at the same time and see a prefix of whole entries. Every method synchronizes on
 * the index, as each touches the file channel only briefly.
 */
public final class TransactionIndex implements Closeable {

    /** What a search found in one segment, and whether later segments need not be searched. */
    public record SearchResult(List<AbortedTxn> abortedTransactions, boolean complete) {}

    private final long baseOffset;
    private File file;
    private FileChannel channel;
    /** Bytes of whole entries; a torn trailing entry is not counted. */
    private long size;

    private long lastOffset = -1;

    public TransactionIndex(File file, long baseOffset) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        if (file.exists()) {
            openChannel();
            size = channel.size() - channel.size() % AbortedTxn.SIZE;
            List<AbortedTxn> all = allAbortedTxns();
            if (!all.isEmpty()) {
                lastOffset = all.get(all.size() - 1).lastOffset();
            }
        }
    }

    private void openChannel() throws IOException {
        channel = FileChannel.open(
                file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    public synchronized File file() {
        return file;
    }

    /**
     * Appends {@code txn}, creating the file if needed.
     *
     * @throws IllegalArgumentException when its last offset is not above the last entry's
     */
    public synchronized void append(AbortedTxn txn) throws IOException {
        if (txn.lastOffset() <= lastOffset) {
            throw new IllegalArgumentException("Aborted transaction ending at " + txn.lastOffset()
                    + " does not follow the last one, ending at " + lastOffset + ", in " + file);
        }
        if (channel == null) {
            openChannel();
        }
        ByteBuffer buffer = ByteBuffer.allocate(AbortedTxn.SIZE);
        txn.writeTo(buffer);
        buffer.flip();
        long position = size;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        size += AbortedTxn.SIZE;
        lastOffset = txn.lastOffset();
    }

    /** Every entry, in order. */
    public synchronized List<AbortedTxn> allAbortedTxns() {
        return collect(Long.MIN_VALUE, Long.MAX_VALUE).abortedTransactions();
    }

    /**
     * The aborted transactions that overlap {@code [fetchOffset, upperBoundOffset)}: those whose
     * marker is at or after {@code fetchOffset} and whose first record is below the bound. The
     * result is complete when an entry's last stable offset reaches the bound: every
     * transaction aborted later started at or after it.
     */
    public synchronized SearchResult collectAbortedTxns(long fetchOffset, long upperBoundOffset) {
        return collect(fetchOffset, upperBoundOffset);
    }

    private SearchResult collect(long fetchOffset, long upperBoundOffset) {
        List<AbortedTxn> found = new ArrayList<>();
        if (channel == null || size == 0) {
            return new SearchResult(found, false);
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        try {
            Utils.readFully(channel, buffer, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the transaction index " + file, e);
        }
        buffer.flip();
        while (buffer.remaining() >= AbortedTxn.SIZE) {
            AbortedTxn txn = AbortedTxn.readFrom(buffer, file.getPath());
            if (txn.lastOffset() >= fetchOffset && txn.firstOffset() < upperBoundOffset) {
                found.add(txn);
            }
            if (txn.lastStableOffset() >= upperBoundOffset) {
                return new SearchResult(found, true);
            }
        }
        return new SearchResult(found, false);
    }

    /** Drops the entries whose marker is at or after {@code offset}. */
    public synchronized void truncateTo(long offset) throws IOException {
        List<AbortedTxn> all = allAbortedTxns();
        int keep = 0;
        while (keep < all.size() && all.get(keep).lastOffset() < offset) {
            keep++;
        }
        truncateToEntries(keep, keep == 0 ? -1 : all.get(keep - 1).lastOffset());
    }

    /** Drops every entry (before a rebuild). */
    public synchronized void reset() throws IOException {
        truncateToEntries(0, -1);
    }

    private void truncateToEntries(int entries, long newLastOffset) throws IOException {
        size = (long) entries * AbortedTxn.SIZE;
        lastOffset = newLastOffset;
        if (channel != null) {
            channel.truncate(size);
        }
    }

    /**
     * Checks the entries: each marker at or above the base offset and after the previous one.
     *
     * @throws CorruptIndexException when one is not
     */
    public synchronized void sanityCheck() {
        long previous = -1;
        for (AbortedTxn txn : allAbortedTxns()) {
            if (txn.lastOffset() < baseOffset || txn.lastOffset() <= previous) {
                throw new CorruptIndexException("Aborted transaction " + txn + " in " + file
                        + " is below the base offset " + baseOffset + " or the previous entry " + previous);
            }
            previous = txn.lastOffset();
        }
    }

    public synchronized void flush() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    /** Renames the file (if it exists yet); the open channel stays valid. */
    public synchronized void renameTo(File target) throws IOException {
        if (file.exists()) {
            Utils.atomicMoveWithFallback(file.toPath(), target.toPath(), false);
        }
        file = target;
    }

    public synchronized void deleteIfExists() throws IOException {
        close();
        Files.deleteIfExists(file.toPath());
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
