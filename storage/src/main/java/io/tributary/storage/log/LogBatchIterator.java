package io.tributary.storage.log;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.RecordBatch;

/**
 * {@link LogReader#batchesFrom}: the batches from the one containing a start offset up to a
 * published log end, segment after segment, reading batch headers lazily from the files. Not
 * thread-safe (one iterator per reader); it runs concurrently with appends because it never
 * reads past the end it was given.
 */
final class LogBatchIterator implements Iterator<RecordBatch> {
    private final LogSegments segments;
    private final long startOffset;
    private final LogOffsetMetadata end;
    private LogSegment segment;
    private Iterator<FileChannelRecordBatch> batches;
    private RecordBatch nextBatch;

    LogBatchIterator(LogSegments segments, long startOffset, LogOffsetMetadata end) {
        this.segments = segments;
        this.startOffset = startOffset;
        this.end = end;
        LogSegment floor = segments.floorSegment(startOffset);
        this.segment = floor != null ? floor : segments.firstSegment();
    }

    @Override
    public boolean hasNext() {
        while (nextBatch == null) {
            if (batches != null && batches.hasNext()) {
                FileChannelRecordBatch batch = batches.next();
                if (batch.lastOffset() >= startOffset) {
                    nextBatch = batch;
                }
                continue;
            }
            if (segment == null || segment.baseOffset() > end.segmentBaseOffset()) {
                return false;
            }
            int limit =
                    segment.baseOffset() == end.segmentBaseOffset() ? end.relativePositionInSegment() : segment.size();
            batches = segment.log().slice(0, limit).batches().iterator();
            segment = segments.higherSegment(segment.baseOffset());
        }
        return true;
    }

    @Override
    public RecordBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RecordBatch batch = nextBatch;
        nextBatch = null;
        return batch;
    }
}
