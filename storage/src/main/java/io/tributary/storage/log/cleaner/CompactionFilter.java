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
 *   <li>the records of aborted transactions go, and transaction markers go once no record of
 *       their transaction is left (see {@link CleanedTransactions}) and their batch's delete
 *       horizon has passed: the first cleaning that finds a marker removable stamps the horizon
 *       ({@code filterTo} does, for a batch reported as a marker of an emptied transaction), a
 *       later one removes it. The last batch of a producer is still kept, emptied.</li>
 * </ul>
 *
 * <p>Not thread-safe: one per cleaning.
 */
final class CompactionFilter extends RecordFilter {

    private final OffsetMap map;
    private final Map<Long, Long> lastOffsetOfProducer;
    private final CleanedTransactions transactions;
    /** The current batch's records all go (aborted data, or a marker past its horizon). */
    private boolean discardBatchRecords;

    /**
     * @param lastOffsetOfProducer the last offset of the last batch of each producer id in the log
     * @param transactions         shown every batch in offset order
     */
    CompactionFilter(
            long now,
            long deleteRetentionMs,
            OffsetMap map,
            Map<Long, Long> lastOffsetOfProducer,
            CleanedTransactions transactions) {
        super(now, deleteRetentionMs);
        this.map = map;
        this.lastOffsetOfProducer = lastOffsetOfProducer;
        this.transactions = transactions;
    }

    @Override
    protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
        boolean removable = transactions.onBatch(batch);
        discardBatchRecords = batch.isControlBatch()
                ? removable
                        && batch.deleteHorizonMs().isPresent()
                        && batch.deleteHorizonMs().getAsLong() <= currentTime
                : removable;
        boolean lastOfProducer = batch.hasProducerId()
                && Long.valueOf(batch.lastOffset()).equals(lastOffsetOfProducer.get(batch.producerId()));
        BatchRetention retention = lastOfProducer
                ? BatchRetention.RETAIN_EMPTY
                : discardBatchRecords ? BatchRetention.DELETE : BatchRetention.DELETE_EMPTY;
        // a removable marker reported as such gets its delete horizon stamped by filterTo
        return new BatchRetentionResult(retention, removable && batch.isControlBatch());
    }

    @Override
    protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
        if (discardBatchRecords) {
            return false;
        }
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
