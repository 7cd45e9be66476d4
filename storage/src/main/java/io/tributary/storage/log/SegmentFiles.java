package io.tributary.storage.log;

import io.tributary.storage.log.index.OffsetIndex;
import io.tributary.storage.log.index.TimeIndex;
import io.tributary.storage.log.index.TransactionIndex;
import java.io.File;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.utils.Utils;

/**
 * The four files of one {@link LogSegment} ({@code .log}, {@code .index}, {@code .timeindex},
 * {@code .txnindex}; their bytes are described there) and what is done to them together: opening,
 * fsync, renaming, deletion and closing. What the files hold is the segment's business.
 *
 * <p><b>Crash behaviour:</b> the four renames of {@link #changeSuffixes} are not atomic together;
 * their order keeps every state a crash can leave between them recoverable (see there).
 *
 * <p><b>Thread-safety:</b> as the segment's: changed by one thread at a time, under the owning
 * {@link PartitionLog}'s lock (or before the segment is shared).
 */
final class SegmentFiles {

    private final FileRecords log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final boolean indexesExisted;

    private SegmentFiles(
            FileRecords log,
            OffsetIndex offsetIndex,
            TimeIndex timeIndex,
            TransactionIndex txnIndex,
            boolean indexesExisted) {
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.txnIndex = txnIndex;
        this.indexesExisted = indexesExisted;
    }

    /**
     * Opens (or creates) the files of the segment at {@code baseOffset} in {@code dir}, each name
     * ending in {@code fileSuffix}; missing index files are created empty, preallocated to
     * {@code indexBytes}. Nothing stays open if one of them fails.
     */
    static SegmentFiles open(File dir, long baseOffset, int indexBytes, boolean fileAlreadyExists, String fileSuffix)
            throws IOException {
        List<File> files = LogFileNames.segmentFiles(dir, baseOffset, fileSuffix);
        File logFile = files.get(0);
        File indexFile = files.get(1);
        File timeIndexFile = files.get(2);
        boolean indexesExisted = indexFile.exists() && timeIndexFile.exists();
        FileRecords records = FileRecords.open(logFile, true, fileAlreadyExists, 0, false);
        OffsetIndex offsetIndex = null;
        TimeIndex timeIndex = null;
        try {
            offsetIndex = new OffsetIndex(indexFile, baseOffset, indexBytes);
            timeIndex = new TimeIndex(timeIndexFile, baseOffset, indexBytes);
            TransactionIndex txnIndex = new TransactionIndex(files.get(3), baseOffset);
            return new SegmentFiles(records, offsetIndex, timeIndex, txnIndex, indexesExisted);
        } catch (IOException | RuntimeException e) {
            Utils.closeQuietly(records, "log " + logFile);
            if (offsetIndex != null) {
                Utils.closeQuietly(offsetIndex::closeHandler, "index " + indexFile);
            }
            if (timeIndex != null) {
                Utils.closeQuietly(timeIndex::closeHandler, "time index " + timeIndexFile);
            }
            throw e;
        }
    }

    FileRecords log() {
        return log;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    TransactionIndex txnIndex() {
        return txnIndex;
    }

    /** False if the offset or time index file was missing when opened (so created empty). */
    boolean indexesExisted() {
        return indexesExisted;
    }

    /** fsyncs the four files. */
    void flush() throws IOException {
        log.flush();
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
    }

    /** Renames the four files by appending {@code suffix}; they stay open. */
    void appendSuffix(String suffix) throws IOException {
        log.renameTo(new File(log.file().getPath() + suffix));
        offsetIndex.renameTo(new File(offsetIndex.file().getPath() + suffix));
        timeIndex.renameTo(new File(timeIndex.file().getPath() + suffix));
        txnIndex.renameTo(new File(txnIndex.file().getPath() + suffix));
    }

    /**
     * Renames the four files from ending in {@code oldSuffix} to ending in {@code newSuffix}
     * (either may be empty); they stay open. The transaction index goes first and the log file
     * next, so that a crash in between leaves offset and time index files that recovery deletes
     * and rebuilds, and a {@code .swap} log file always has its transaction index beside it (a
     * {@code .txnindex.swap} without a {@code .log.swap} is deleted at load).
     */
    void changeSuffixes(String oldSuffix, String newSuffix) throws IOException {
        txnIndex.renameTo(renamed(txnIndex.file(), oldSuffix, newSuffix));
        log.renameTo(renamed(log.file(), oldSuffix, newSuffix));
        offsetIndex.renameTo(renamed(offsetIndex.file(), oldSuffix, newSuffix));
        timeIndex.renameTo(renamed(timeIndex.file(), oldSuffix, newSuffix));
    }

    private static File renamed(File file, String oldSuffix, String newSuffix) {
        String path = file.getPath();
        if (!path.endsWith(oldSuffix)) {
            throw new IllegalStateException("File " + path + " does not end in '" + oldSuffix + "'");
        }
        return new File(path.substring(0, path.length() - oldSuffix.length()) + newSuffix);
    }

    /** Sets the modification time of the log file. */
    void setLastModified(long millis) throws IOException {
        if (!log.file().setLastModified(millis)) {
            throw new IOException(
                    "Failed to set the modification time of " + log.file().getAbsolutePath());
        }
    }

    /** Closes and deletes the four files. */
    void deleteIfExists() throws IOException {
        log.deleteIfExists();
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
        txnIndex.deleteIfExists();
    }

    /** Closes the four files; the indexes are trimmed to their entries. */
    void close() throws IOException {
        Utils.closeAll(offsetIndex, timeIndex, txnIndex, log);
    }

    /** Closes the files without trimming: what a crash leaves (tests, error paths). */
    void closeHandlers() {
        Utils.closeQuietly(offsetIndex::closeHandler, "offset index " + offsetIndex.file());
        Utils.closeQuietly(timeIndex::closeHandler, "time index " + timeIndex.file());
        Utils.closeQuietly(txnIndex, "transaction index " + txnIndex.file());
        Utils.closeQuietly(log::closeHandlers, "log " + log.file());
    }
}
