package io.tributary.storage.log.cleaner;

import java.util.Map;
import org.apache.kafka.common.record.MemoryRecords.RecordFilter;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;

/**
 * What one cleaning keeps, batch by batch and record by record, for kafka-clients'
 * {@code MemoryRecords.filterTo} (which rewrites a batch that loses records with its original
 * offsets, timestamps, compression, producer id, epoch and sequences), as Kafka's
 * {@code Cleaner} decides it:
 *
 * <ul>
 *   <li>a record is kept only if it has a key and no later record of that key is in the
 *       {@link OffsetMap} (records past the mapped range are never superseded);</li>
 *   <li>a tombstone (null value) is kept until its batch's delete horizon: the first cleaning
 *       that keeps it stamps the batch with {@code now + delete.retention.ms} (done by
 *       {@code filterTo}, KIP-534), and a later cleaning past that time drops it;</li>
 *   <li>the last batch of each producer id in the log is kept, emptied of its records if need
 *       be, so an idempotent producer's epoch and sequence survive (no
 *       {@code OUT_OF_ORDER_SEQUENCE_NUMBER} after a cleaning);</li>
 *   <li>control batches (transaction markers) are kept as they are. Transactions do not exist
 *       yet, so none can be written today; when they do, aborted data and markers of finished
 *       transactions are decided here ({@link #checkBatchRetention}).</li>
 * </ul>
 *
 * <p>Not thread-safe: one per cleaning.
 */
final class CompactionFilter extends RecordFilter {

    private final OffsetMap map;
    private final Map<Long, Long> lastOffsetOfProducer;

    /**
     * @param lastOffsetOfProducer the last offset of the last batch of each producer id in the log
     */
    CompactionFilter(long now, long deleteRetentionMs, OffsetMap map, Map<Long, Long> lastOffsetOfProducer) {
        super(now, deleteRetentionMs);
        this.map = map;
        this.lastOffsetOfProducer = lastOffsetOfProducer;
    }

    @Override
    protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
        if (batch.isControlBatch()) {
            return new BatchRetentionResult(BatchRetention.RETAIN_EMPTY, false);
        }
        boolean lastOfProducer = batch.hasProducerId()
                && Long.valueOf(batch.lastOffset()).equals(lastOffsetOfProducer.get(batch.producerId()));
        return new BatchRetentionResult(
                lastOfProducer ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE_EMPTY, false);
    }

    @Override
    protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
        if (batch.isControlBatch()) {
            return true;
        }
        if (!record.hasKey() || record.offset() < map.get(record.key())) {
            return false;
        }
        return record.hasValue()
                || batch.deleteHorizonMs().isEmpty()
                || currentTime < batch.deleteHorizonMs().getAsLong();
    }
}
