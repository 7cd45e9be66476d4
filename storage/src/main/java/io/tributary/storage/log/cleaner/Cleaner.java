package io.tributary.storage.log.cleaner;

import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.LogFileNames;
import io.tributary.storage.log.LogSegment;
import io.tributary.storage.log.PartitionLog;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans one compacted log, as Kafka's {@code Cleaner.doClean}:
 *
 * <ol>
 *   <li>reads the dirty section into the {@link OffsetMap} (key → latest offset), stopping early
 *       if the map fills; the offset after the last record mapped is the cleaning's end offset;</li>
 *   <li>notes the last batch of each producer id in the log, which must survive;</li>
 *   <li>groups the segments below the end offset (the clean section is cleaned again: the new
 *       dirty records may supersede its keys) so that each group fits one segment of
 *       {@code segment.bytes} and 32-bit relative offsets;</li>
 *   <li>walks the batches in offset order with {@link CleanedTransactions} (the aborted
 *       transactions from the {@code .txnindex} files): records of aborted transactions are not
 *       mapped and not kept, markers go once their transactions are empty (after
 *       {@code delete.retention.ms}), the entries of aborted transactions whose markers stay are
 *       written to the cleaned segment's {@code .txnindex};</li>
 *   <li>copies each group's batches through {@link CompactionFilter} into one new segment at the
 *       group's first base offset, with the {@code .cleaned} suffix: offsets, timestamps,
 *       compression and batch headers are kept, indexes are rebuilt by the append, the file
 *       takes the last old segment's modification time (for time retention), and it is
 *       flushed;</li>
 *   <li>hands it to {@link PartitionLog#replaceSegments}, which swaps it in crash-safely, or
 *       refuses if the log changed meanwhile (the cleaned files are then deleted and the
 *       cleaning ends).</li>
 * </ol>
 *
 * <p>Reads and writes go through the shared {@link Throttler}. Appends continue meanwhile: the
 * cleaner never touches the active segment or anything from the first uncleanable offset on.
 *
 * <p>Not thread-safe: one per cleaner thread (it owns its map and buffers).
 */
final class Cleaner {

    private static final Logger LOG = LoggerFactory.getLogger(Cleaner.class);

    private final OffsetMap map;
    private final Throttler throttler;
    private final Clock clock;
    private final BooleanSupplier stopping;
    private ByteBuffer readBuffer;
    private ByteBuffer writeBuffer;

    Cleaner(OffsetMap map, int ioBufferSize, Throttler throttler, Clock clock, BooleanSupplier stopping) {
        this.map = map;
        this.throttler = throttler;
        this.clock = clock;
        this.stopping = stopping;
        this.readBuffer = ByteBuffer.allocate(ioBufferSize);
        this.writeBuffer = ByteBuffer.allocate(ioBufferSize);
    }

    /** Running totals of one cleaning. */
    private static final class Stats {
        int segments;
        long bytesRead;
        long bytesWritten;
        long recordsRead;
        long recordsRetained;
        long latestDeleteHorizon = -1;
    }

    /**
     * Cleans {@code toClean}.
     *
     * @throws CleaningAbortedException if the cleaner is shutting down (nothing was swapped for
     *                                  the group in progress)
     * @throws IOException              reading the old or writing the new segments failed
     */
    CleaningResult clean(LogToClean toClean) throws IOException, InterruptedException {
        long start = clock.millis();
        PartitionLog log = toClean.log();
        long truncations = toClean.truncations();
        LogConfig config = log.config();
        Stats stats = new Stats();
        map.clear();
        long firstDirty = toClean.firstDirtyOffset();
        long firstUncleanable = toClean.firstUncleanableOffset();
        CleanedTransactions dirtyTransactions =
                new CleanedTransactions(log.reader().collectAbortedTransactions(firstDirty, firstUncleanable));
        long endOffset = buildOffsetMap(log.segments(), firstDirty, firstUncleanable, dirtyTransactions, stats);
        Map<Long, Long> lastOffsetOfProducer = lastOffsetOfEachProducer(log);
        List<LogSegment> segments = log.segments();
        CleanedTransactions transactions = new CleanedTransactions(
                log.reader().collectAbortedTransactions(segments.get(0).baseOffset(), Long.MAX_VALUE));
        CompactionFilter filter =
                new CompactionFilter(start, config.deleteRetentionMs(), map, lastOffsetOfProducer, transactions);
        for (List<LogSegment> group : groupSegmentsBySize(segments, endOffset, config)) {
            if (!cleanGroup(log, group, filter, transactions, truncations, stats)) {
                LOG.info(
                        "Cleaning of {} abandoned: the log changed under it (truncation or retention)",
                        log.topicPartition());
                return result(false, toClean.firstDirtyOffset(), stats, start);
            }
        }
        CleaningResult result = result(true, endOffset, stats, start);
        LOG.info(
                "Cleaned {}: {} segments below offset {} ({} bytes read, {} written, {} of {} records kept) in {} ms",
                log.topicPartition(),
                result.segmentsCleaned(),
                endOffset,
                result.bytesRead(),
                result.bytesWritten(),
                result.recordsRetained(),
                result.recordsRead(),
                result.durationMs());
        return result;
    }

    private CleaningResult result(boolean replaced, long endOffset, Stats stats, long start) {
        return new CleaningResult(
                replaced,
                endOffset,
                stats.segments,
                stats.bytesRead,
                stats.bytesWritten,
                stats.recordsRead,
                stats.recordsRetained,
                stats.latestDeleteHorizon,
                clock.millis() - start);
    }

    /**
     * Maps every keyed record in [{@code firstDirty}, {@code firstUncleanable}) to its offset,
     * except those of aborted transactions, which must not supersede a committed value.
     *
     * @return the offset after the last record mapped: {@code firstUncleanable}, or less if the map filled
     */
    private long buildOffsetMap(
            List<LogSegment> segments,
            long firstDirty,
            long firstUncleanable,
            CleanedTransactions transactions,
            Stats stats)
            throws IOException, InterruptedException {
        for (int i = 0; i + 1 < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            if (segment.baseOffset() >= firstUncleanable) {
                break;
            }
            if (segments.get(i + 1).baseOffset() <= firstDirty) {
                continue;
            }
            for (FileChannelRecordBatch batch : segment.log().batches()) {
                if (batch.lastOffset() < firstDirty) {
                    continue;
                }
                if (batch.baseOffset() >= firstUncleanable) {
                    return firstUncleanable;
                }
                checkNotStopping();
                throttler.acquire(batch.sizeInBytes(), stopping);
                stats.bytesRead += batch.sizeInBytes();
                boolean aborted = transactions.onBatch(batch);
                if (batch.isControlBatch() || aborted) {
                    // a marker's key is not a data key
                    continue;
                }
                try (CloseableIterator<Record> records = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
                    while (records.hasNext()) {
                        Record record = records.next();
                        if (record.offset() < firstDirty || !record.hasKey()) {
                            continue;
                        }
                        if (map.isFull()) {
                            return record.offset();
                        }
                        map.put(record.key(), record.offset());
                    }
                }
            }
        }
        return firstUncleanable;
    }

    /** The last offset of the last batch of every producer id in the log (batch headers only). */
    private static Map<Long, Long> lastOffsetOfEachProducer(PartitionLog log) {
        Map<Long, Long> last = new HashMap<>();
        for (RecordBatch batch : log.reader().batchesFrom(log.logStartOffset())) {
            if (batch.hasProducerId()) {
                last.put(batch.producerId(), batch.lastOffset());
            }
        }
        return last;
    }

    /**
     * The inactive segments with a base offset below {@code endOffset}, in runs whose total size
     * fits {@code segment.bytes}, whose index entries fit {@code segment.index.bytes}, and whose
     * offsets fit 32 bits relative to the run's first base offset.
     */
    static List<List<LogSegment>> groupSegmentsBySize(List<LogSegment> segments, long endOffset, LogConfig config) {
        List<List<LogSegment>> groups = new ArrayList<>();
        List<LogSegment> group = new ArrayList<>();
        long logBytes = 0;
        long indexBytes = 0;
        long timeIndexBytes = 0;
        for (int i = 0; i + 1 < segments.size() && segments.get(i).baseOffset() < endOffset; i++) {
            LogSegment segment = segments.get(i);
            long lastOffset = segments.get(i + 1).baseOffset() - 1;
            boolean fits = !group.isEmpty()
                    && logBytes + segment.size() <= config.segmentBytes()
                    && indexBytes + segment.offsetIndex().sizeInBytes() <= config.segmentIndexBytes()
                    && timeIndexBytes + segment.timeIndex().sizeInBytes() <= config.segmentIndexBytes()
                    && (segment.size() == 0 || lastOffset - group.get(0).baseOffset() <= Integer.MAX_VALUE);
            if (!fits && !group.isEmpty()) {
                groups.add(List.copyOf(group));
                group.clear();
                logBytes = 0;
                indexBytes = 0;
                timeIndexBytes = 0;
            }
            group.add(segment);
            logBytes += segment.size();
            indexBytes += segment.offsetIndex().sizeInBytes();
            timeIndexBytes += segment.timeIndex().sizeInBytes();
        }
        if (!group.isEmpty()) {
            groups.add(List.copyOf(group));
        }
        return groups;
    }

    /** Writes {@code group} through the filter into one {@code .cleaned} segment and swaps it in. */
    private boolean cleanGroup(
            PartitionLog log,
            List<LogSegment> group,
            CompactionFilter filter,
            CleanedTransactions transactions,
            long truncations,
            Stats stats)
            throws IOException, InterruptedException {
        File dir = log.dir();
        long base = group.get(0).baseOffset();
        for (File leftover : LogFileNames.segmentFiles(dir, base, LogFileNames.CLEANED_FILE_SUFFIX)) {
            Files.deleteIfExists(leftover.toPath());
        }
        LogSegment cleaned = LogSegment.open(dir, base, log.config(), clock, false, LogFileNames.CLEANED_FILE_SUFFIX);
        boolean replaced = false;
        try {
            transactions.writeIndexTo(cleaned.txnIndex());
            for (LogSegment old : group) {
                copyInto(old, cleaned, filter, stats);
            }
            cleaned.onBecomeInactiveSegment();
            cleaned.flush();
            cleaned.setLastModified(group.get(group.size() - 1).lastModified());
            checkNotStopping();
            replaced = log.replaceSegments(List.of(cleaned), group, truncations);
            if (replaced) {
                stats.segments += group.size();
            }
            return replaced;
        } finally {
            if (!replaced) {
                cleaned.deleteIfExists();
            }
        }
    }

    /** Copies the batches of {@code source} that the filter keeps (whole or in part) to {@code dest}. */
    private void copyInto(LogSegment source, LogSegment dest, CompactionFilter filter, Stats stats)
            throws IOException, InterruptedException {
        int position = 0;
        int size = source.size();
        while (position < size) {
            checkNotStopping();
            readBuffer.clear();
            readBuffer.limit(Math.min(readBuffer.capacity(), size - position));
            source.log().readInto(readBuffer, position);
            MemoryRecords records = MemoryRecords.readableRecords(readBuffer);
            throttler.acquire(records.sizeInBytes(), stopping);
            writeBuffer.clear();
            MemoryRecords.FilterResult result = records.filterTo(filter, writeBuffer, BufferSupplier.NO_CACHING);
            if (result.bytesRead() == 0) {
                // not even one whole batch fits the buffers: grow them to the next batch's size
                Integer batchSize = records.firstBatchSize();
                if (batchSize == null || batchSize <= readBuffer.capacity()) {
                    throw new IOException("Unreadable batch at position " + position + " of " + source);
                }
                readBuffer = ByteBuffer.allocate(batchSize);
                writeBuffer = ByteBuffer.allocate(batchSize);
                continue;
            }
            position += result.bytesRead();
            stats.bytesRead += result.bytesRead();
            stats.recordsRead += result.messagesRead();
            stats.recordsRetained += result.messagesRetained();
            ByteBuffer output = result.outputBuffer();
            if (output.position() > 0) {
                output.flip();
                MemoryRecords retained = MemoryRecords.readableRecords(output);
                for (MutableRecordBatch batch : retained.batches()) {
                    batch.deleteHorizonMs()
                            .ifPresent(h -> stats.latestDeleteHorizon = Math.max(stats.latestDeleteHorizon, h));
                }
                dest.append(retained);
                stats.bytesWritten += retained.sizeInBytes();
                throttler.acquire(retained.sizeInBytes(), stopping);
            }
            if (output.capacity() > writeBuffer.capacity()) {
                writeBuffer = ByteBuffer.allocate(output.capacity());
            }
        }
    }

    private void checkNotStopping() {
        if (stopping.getAsBoolean()) {
            throw new CleaningAbortedException("The log cleaner is shutting down");
        }
    }
}
