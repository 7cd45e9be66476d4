package io.tributary.storage.log;

import io.tributary.storage.log.index.AbortedTxn;
import io.tributary.storage.log.index.OffsetIndex;
import io.tributary.storage.log.index.OffsetPosition;
import io.tributary.storage.log.index.TimeIndex;
import io.tributary.storage.log.index.TimestampOffset;
import io.tributary.storage.log.index.TransactionIndex;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;

/**
 * One segment of a partition log: the record batches with offsets from {@link #baseOffset()} up
 * to the next segment's base offset, their two sparse indexes and the aborted transactions whose
 * markers it holds.
 *
 * <p><b>Bytes on disk</b> (Kafka's format and names, so that Kafka's {@code DumpLogSegments}
 * reads them):
 * <ul>
 *   <li>{@code {baseOffset:020d}.log}: magic-v2 record batches, back to back, exactly as the
 *       producer sent them except for the broker-assigned base offset and partition leader epoch
 *       in each batch header (both outside the CRC). No file header, no padding.</li>
 *   <li>{@code {baseOffset:020d}.index}: see {@link OffsetIndex}.</li>
 *   <li>{@code {baseOffset:020d}.timeindex}: see {@link TimeIndex}.</li>
 *   <li>{@code {baseOffset:020d}.txnindex}: see {@link TransactionIndex}; only once a
 *       transaction is aborted in the segment.</li>
 * </ul>
 * An index entry is added for the batch that is appended once more than
 * {@code index.interval.bytes} have been written since the previous entry. The four files are
 * opened, renamed, deleted and closed together by {@link SegmentFiles}.
 *
 * <p><b>After a crash</b> the {@code .log} file may end in a torn batch or garbage, and the
 * indexes may be stale or padded with zeros: {@link SegmentRecovery} rescans the batches,
 * truncates the file after the last valid one and rebuilds the indexes.
 *
 * <p><b>Thread-safety:</b> mutations ({@link #append}, {@link #truncateTo}, recovery, roll and
 * close) are made by one thread at a time under the owning {@link PartitionLog}'s lock.
 * Reads may run concurrently with an append; they are bounded by a position the caller took
 * from a published log end, so they never see a half-written batch.
 */
public final class LogSegment implements Closeable {

    private final SegmentFiles files;
    // the files again, so that appends and reads reach them without going through SegmentFiles
    private final FileRecords log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final long baseOffset;
    private final int indexIntervalBytes;
    private final int maxIndexSize;
    private final Clock clock;

    /** Creation time, for {@code segment.ms} when batches carry no timestamp. */
    private volatile long created;
    /** Max timestamp of the first batch, for {@code segment.ms}; NO_TIMESTAMP until known. */
    private volatile long rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
    /** False for a reopened non-empty segment until {@link #rollingBasedTimestamp} is read from it. */
    private boolean rollingBasedTimestampLoaded;

    private int bytesSinceLastIndexEntry;
    private volatile TimestampOffset maxTimestampAndOffsetSoFar;

    private LogSegment(SegmentFiles files, long baseOffset, LogConfig config, Clock clock) {
        this.files = files;
        this.log = files.log();
        this.offsetIndex = files.offsetIndex();
        this.timeIndex = files.timeIndex();
        this.txnIndex = files.txnIndex();
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = config.indexIntervalBytes();
        this.maxIndexSize = config.segmentIndexBytes();
        this.clock = clock;
        this.created = clock.millis();
        this.maxTimestampAndOffsetSoFar = new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset - 1);
    }

    /**
     * Opens (or creates) the segment files for {@code baseOffset} in {@code dir}. A missing index of
     * an existing {@code .log} file is created empty; {@link #indexFilesExisted()} then tells the
     * caller to recover the segment ({@link SegmentRecovery}).
     */
    public static LogSegment open(File dir, long baseOffset, LogConfig config, Clock clock, boolean fileAlreadyExists)
            throws IOException {
        return open(dir, baseOffset, config, clock, fileAlreadyExists, "");
    }

    /**
     * As {@link #open(File, long, LogConfig, Clock, boolean)}, with {@code fileSuffix} (such as
     * {@link LogFileNames#CLEANED_FILE_SUFFIX}) appended to the four file names.
     */
    public static LogSegment open(
            File dir, long baseOffset, LogConfig config, Clock clock, boolean fileAlreadyExists, String fileSuffix)
            throws IOException {
        SegmentFiles files =
                SegmentFiles.open(dir, baseOffset, config.segmentIndexBytes(), fileAlreadyExists, fileSuffix);
        LogSegment segment = new LogSegment(files, baseOffset, config, clock);
        if (fileAlreadyExists) {
            segment.created = files.log().file().lastModified();
        }
        segment.rollingBasedTimestampLoaded = files.log().sizeInBytes() == 0;
        return segment;
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** The {@code .log} file records; slices of it are what reads return. */
    public FileRecords log() {
        return log;
    }

    public OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    public TimeIndex timeIndex() {
        return timeIndex;
    }

    /** The aborted transactions whose markers this segment holds. */
    public TransactionIndex txnIndex() {
        return txnIndex;
    }

    /** Records that the ABORT marker at {@code txn.lastOffset()}, in this segment, aborted {@code txn}. */
    public void appendAbortedTxn(AbortedTxn txn) throws IOException {
        txnIndex.append(txn);
    }

    /** The segment's files, to rename them together. */
    SegmentFiles files() {
        return files;
    }

    /** Bytes of batches in the {@code .log} file. */
    public int size() {
        return log.sizeInBytes();
    }

    /** False if an index file was missing when the segment was opened, so it must be rebuilt. */
    public boolean indexFilesExisted() {
        return files.indexesExisted();
    }

    /** Checks the indexes; throws {@link io.tributary.storage.log.index.CorruptIndexException}. */
    public void sanityCheck() {
        offsetIndex.sanityCheck();
        timeIndex.sanityCheck();
        txnIndex.sanityCheck();
    }

    /** The largest batch max timestamp in the segment, NO_TIMESTAMP if none has one. */
    public long maxTimestampSoFar() {
        return maxTimestampAndOffsetSoFar.timestamp();
    }

    /** The last offset of the batch holding {@link #maxTimestampSoFar()}. */
    public long offsetOfMaxTimestampSoFar() {
        return maxTimestampAndOffsetSoFar.offset();
    }

    /** What retention compares with {@code retention.ms}: the max timestamp, else the file's mtime. */
    public long largestTimestamp() {
        long max = maxTimestampSoFar();
        return max >= 0 ? max : lastModified();
    }

    public long lastModified() {
        return log.file().lastModified();
    }

    /**
     * When the segment was created, or its file last modified when it was opened, or it was last
     * truncated empty: its age for {@code segment.ms} when batches carry no timestamp.
     */
    long created() {
        return created;
    }

    /**
     * The max timestamp of the first batch, NO_TIMESTAMP if the segment is empty or the batch has
     * none: the age of the segment for {@code segment.ms} and of its oldest record for
     * {@code max.compaction.lag.ms}.
     */
    public long firstBatchTimestamp() {
        if (!rollingBasedTimestampLoaded) {
            // a reopened segment: the first batch's timestamp is read once, when first needed
            for (FileChannelRecordBatch batch : log.batches()) {
                rollingBasedTimestamp = batch.maxTimestamp();
                break;
            }
            rollingBasedTimestampLoaded = true;
        }
        return rollingBasedTimestamp;
    }

    /**
     * Appends batches whose offsets are already assigned and above every offset in the segment,
     * and adds index entries every {@code index.interval.bytes}. Called under the log's lock.
     *
     * @return bytes written
     */
    public int append(MemoryRecords records) throws IOException {
        int physicalPosition = log.sizeInBytes();
        boolean first = true;
        int written = log.append(records);
        for (RecordBatch batch : records.batches()) {
            long batchMaxTimestamp = batch.maxTimestamp();
            long batchLastOffset = batch.lastOffset();
            if (first && physicalPosition == 0) {
                rollingBasedTimestamp = batchMaxTimestamp;
                rollingBasedTimestampLoaded = true;
            }
            first = false;
            indexBatch(batchMaxTimestamp, batchLastOffset, physicalPosition);
            int size = batch.sizeInBytes();
            physicalPosition += size;
            bytesSinceLastIndexEntry += size;
        }
        return written;
    }

    private void indexBatch(long batchMaxTimestamp, long batchLastOffset, int physicalPosition) {
        if (batchMaxTimestamp > maxTimestampSoFar()) {
            maxTimestampAndOffsetSoFar = new TimestampOffset(batchMaxTimestamp, batchLastOffset);
        }
        // A full index only means a sparser one: a single append of many batches can fill it
        // before the next roll, and failing then would leave written bytes without an offset.
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull()) {
            offsetIndex.append(batchLastOffset, physicalPosition);
            if (maxTimestampSoFar() >= 0 && !timeIndex.isFull()) {
                timeIndex.maybeAppend(maxTimestampSoFar(), offsetOfMaxTimestampSoFar(), false);
            }
            bytesSinceLastIndexEntry = 0;
        }
    }

    /**
     * The first batch whose last offset is at least {@code offset}, searching from the indexed
     * position at or below it (and not before {@code startingFilePosition}); null if there is none.
     */
    public FileRecords.LogOffsetPosition translateOffset(long offset, int startingFilePosition) {
        OffsetPosition mapping = offsetIndex.lookup(offset);
        return log.searchForOffsetFromPosition(offset, Math.max(mapping.position(), startingFilePosition));
    }

    /**
     * Reads whole batches starting with the one that contains {@code startOffset}.
     *
     * @param startOffset          first offset wanted
     * @param maxSize              byte limit; exceeded only by a single first batch when {@code minOneMessage}
     * @param maxPosition          read nothing at or past this file position (a published log end)
     * @param maxOffsetExclusive   return no batch whose last offset is at or above this (a high watermark)
     * @param segmentEndOffset     the offset after the last one readable in this segment, so that a read
     *                             that {@code maxOffsetExclusive} cannot bound skips walking the batches
     * @param minOneMessage        return the first batch even if it is larger than {@code maxSize} (KIP-74)
     * @return null when this segment has no batch at or after {@code startOffset} below {@code maxPosition}
     */
    public FetchDataInfo read(
            long startOffset,
            int maxSize,
            int maxPosition,
            long maxOffsetExclusive,
            long segmentEndOffset,
            boolean minOneMessage,
            long logStartOffset,
            long logEndOffset) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("Invalid max size " + maxSize + " for log read from segment " + log);
        }
        FileRecords.LogOffsetPosition start = translateOffset(startOffset, 0);
        if (start == null || start.position >= maxPosition) {
            return null;
        }
        LogOffsetMetadata metadata = new LogOffsetMetadata(startOffset, baseOffset, start.position);
        // every bound below is a batch boundary: the published end, or the start of the first
        // batch that reaches maxOffsetExclusive
        int limit = maxPosition;
        if (maxOffsetExclusive < segmentEndOffset) {
            FileRecords.LogOffsetPosition bound = translateOffset(maxOffsetExclusive, start.position);
            if (bound != null) {
                limit = Math.min(limit, bound.position);
            }
        }
        if (limit <= start.position) {
            return FetchDataInfo.empty(metadata, logStartOffset, logEndOffset);
        }
        int byteLimit = (int) Math.min(limit, (long) start.position + maxSize);
        int end = byteLimit == limit ? limit : lastBatchBoundaryAtOrBelow(start.position, byteLimit);
        if (end == start.position && minOneMessage) {
            end = start.position + start.size;
        }
        return end == start.position
                ? FetchDataInfo.empty(metadata, logStartOffset, logEndOffset)
                : new FetchDataInfo(
                        metadata, log.slice(start.position, end - start.position), logStartOffset, logEndOffset);
    }

    /**
     * The end of the last whole batch that ends at or before {@code byteLimit}, given that
     * {@code from} is a batch start. The offset index gives a batch start close below the limit,
     * so only the few batch headers after it are read, not every header of a large fetch.
     */
    private int lastBatchBoundaryAtOrBelow(int from, int byteLimit) {
        int walkFrom = Math.max(from, offsetIndex.lookupByPosition(byteLimit).position());
        int end = walkFrom;
        // the batch iterator stops before a batch that would cross the end of the slice
        for (FileChannelRecordBatch batch :
                log.slice(walkFrom, byteLimit - walkFrom).batches()) {
            end += batch.sizeInBytes();
        }
        return end;
    }

    /**
     * The first record at or after {@code startingOffset} whose timestamp is at least
     * {@code timestamp}, or empty if this segment has none.
     */
    public Optional<TimestampAndOffset> findOffsetByTimestamp(long timestamp, long startingOffset) {
        TimestampOffset timestampOffset = timeIndex.lookup(timestamp);
        int position = offsetIndex
                .lookup(Math.max(timestampOffset.offset(), startingOffset))
                .position();
        FileRecords.TimestampAndOffset found = log.searchForTimestamp(timestamp, position, startingOffset);
        return Optional.ofNullable(found).map(f -> new TimestampAndOffset(f.timestamp, f.offset, f.leaderEpoch));
    }

    /** The offset after the last batch of the segment ({@link #baseOffset()} when empty). */
    public long readNextOffset() {
        long next = baseOffset;
        int from = offsetIndex.lastEntry().position();
        for (FileChannelRecordBatch batch : log.batchesFrom(from)) {
            next = batch.nextOffset();
        }
        return next;
    }

    /**
     * Recovery's start ({@link SegmentRecovery}): empties the offset and time indexes, and the
     * transaction index if {@code transactionIndexToo}, and forgets what the batches told; the
     * rescan then adds each valid batch back with {@link #indexRecoveredBatch}.
     */
    void resetIndexes(boolean transactionIndexToo) throws IOException {
        if (transactionIndexToo) {
            txnIndex.reset();
        }
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestampAndOffsetSoFar = new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset - 1);
        rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
        rollingBasedTimestampLoaded = true;
        bytesSinceLastIndexEntry = 0;
    }

    /** Recovery: the index entries and timestamps of the valid batch at {@code position}, as its append made them. */
    void indexRecoveredBatch(RecordBatch batch, int position) {
        if (position == 0) {
            rollingBasedTimestamp = batch.maxTimestamp();
        }
        indexBatch(batch.maxTimestamp(), batch.lastOffset(), position);
        bytesSinceLastIndexEntry += batch.sizeInBytes();
    }

    /**
     * Removes every batch from the one containing {@code offset} on, and the index entries that
     * point at them; the segment becomes writable again (indexes resized to full size).
     *
     * @return bytes removed
     */
    public int truncateTo(long offset) throws IOException {
        FileRecords.LogOffsetPosition mapping = translateOffset(offset, 0);
        offsetIndex.truncateTo(offset);
        timeIndex.truncateTo(offset);
        // a marker is a batch of its own, so the markers removed are those at or after offset
        txnIndex.truncateTo(offset);
        offsetIndex.resize(maxIndexSize);
        timeIndex.resize(maxIndexSize);
        int truncated = mapping == null ? 0 : log.truncateTo(mapping.position);
        if (log.sizeInBytes() == 0) {
            created = clock.millis();
            rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
            rollingBasedTimestampLoaded = true;
        }
        bytesSinceLastIndexEntry = 0;
        loadLargestTimestamp(true);
        return truncated;
    }

    /**
     * Sets the max timestamp from the time index's last entry. A segment that was rolled or
     * closed cleanly has its maximum there (the final entry), so that is all {@code open} needs;
     * with {@code scanAfterLastEntry} the batches after that entry are read too, which
     * truncation needs because it may have removed the final entry.
     */
    public void loadLargestTimestamp(boolean scanAfterLastEntry) {
        TimestampOffset last = timeIndex.lastEntry();
        TimestampOffset max =
                last.timestamp() >= 0 ? last : new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset - 1);
        if (scanAfterLastEntry) {
            int position = offsetIndex.lookup(last.offset()).position();
            FileRecords.TimestampAndOffset after = log.largestTimestampAfter(position);
            if (after.timestamp > max.timestamp()) {
                max = new TimestampOffset(after.timestamp, after.offset);
            }
        }
        maxTimestampAndOffsetSoFar = max;
    }

    /**
     * Called when a newer segment takes over the appends: writes the final time index entry (the
     * segment's max timestamp) and trims both index files to their entries.
     */
    public void onBecomeInactiveSegment() throws IOException {
        if (maxTimestampSoFar() >= 0) {
            timeIndex.maybeAppend(maxTimestampSoFar(), offsetOfMaxTimestampSoFar(), true);
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
        log.trim();
    }

    /** Grows the index files back to {@code segment.index.bytes} so the segment accepts appends. */
    public void resizeIndexes(int size) throws IOException {
        offsetIndex.resize(size);
        timeIndex.resize(size);
    }

    /** fsyncs the log file and the indexes. */
    public void flush() throws IOException {
        files.flush();
    }

    /** Sets the modification time of the log file (a cleaned segment keeps the time of those it replaced). */
    public void setLastModified(long millis) throws IOException {
        files.setLastModified(millis);
    }

    /** Closes and deletes the four files. */
    public void deleteIfExists() throws IOException {
        files.deleteIfExists();
    }

    /** Writes the final time index entry, trims the indexes and closes the files. */
    @Override
    public void close() throws IOException {
        try {
            if (maxTimestampSoFar() >= 0) {
                timeIndex.maybeAppend(maxTimestampSoFar(), offsetOfMaxTimestampSoFar(), true);
            }
        } finally {
            files.close();
        }
    }

    /** Closes the files without trimming or final entries: what a crash leaves (tests, error paths). */
    public void closeHandlers() {
        files.closeHandlers();
    }

    @Override
    public String toString() {
        return "LogSegment(baseOffset=" + baseOffset + ", size=" + size() + ", file=" + log.file() + ")";
    }
}
