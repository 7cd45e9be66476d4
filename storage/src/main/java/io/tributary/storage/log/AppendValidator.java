package io.tributary.storage.log;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;

/**
 * The checks an append makes before a single byte is written: magic v2, size against
 * {@code max.message.bytes} and {@code segment.bytes}, CRC ({@code ensureValid}), no bytes after
 * the last complete batch, record counts (leader) or increasing offsets (follower), and on a
 * compacted log a key on every record (leader). Reads only batch headers and the CRC, except that
 * the key check iterates (and so decompresses) the records of a compacted log. Stateless and
 * thread-safe.
 */
final class AppendValidator {

    /** What the records hold, for the append that follows. */
    record Validated(
            int shallowCount, int validBytes, long offsetCount, long firstOffset, long lastOffset, long maxTimestamp) {}

    /**
     * Checks every batch of {@code records}; see {@link PartitionLog#appendAsLeader} for what is
     * refused and with which exception. As leader, each batch's record count must match its
     * offset delta; as follower, offsets must increase from batch to batch.
     */
    static Validated validate(MemoryRecords records, boolean asLeader, LogConfig cfg, TopicPartition topicPartition) {
        int shallowCount = 0;
        int validBytes = 0;
        long offsetCount = 0;
        long firstOffset = -1;
        long lastOffset = -1;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.magic() < RecordBatch.MAGIC_VALUE_V2) {
                throw new UnsupportedForMessageFormatException("Batch " + shallowCount + " of an append to "
                        + topicPartition + " has magic " + batch.magic() + "; only magic v2 is supported");
            }
            int size = batch.sizeInBytes();
            if (size > cfg.maxMessageBytes()) {
                throw new RecordTooLargeException("The record batch size in the append to " + topicPartition + " is "
                        + size + " bytes which exceeds the maximum configured value of " + cfg.maxMessageBytes() + ".");
            }
            batch.ensureValid();
            if (asLeader && cfg.compactionEnabled() && !batch.isControlBatch()) {
                requireKeys(batch, shallowCount, topicPartition);
            }
            if (asLeader) {
                Integer count = batch.countOrNull();
                long lastOffsetDelta = batch.lastOffset() - batch.baseOffset();
                if (count == null || count < 1 || lastOffsetDelta != count - 1) {
                    throw new InvalidRecordException("Batch " + shallowCount + " of an append to " + topicPartition
                            + " has " + count + " records but last offset delta " + lastOffsetDelta);
                }
            } else if (batch.baseOffset() <= lastOffset || batch.lastOffset() < batch.baseOffset()) {
                throw new UnexpectedAppendOffsetException(
                        "Follower append to " + topicPartition + " has batch " + batch.baseOffset() + ".."
                                + batch.lastOffset() + " after offset " + lastOffset,
                        batch.baseOffset(),
                        lastOffset + 1);
            }
            if (shallowCount == 0) {
                firstOffset = batch.baseOffset();
            }
            lastOffset = batch.lastOffset();
            offsetCount += batch.lastOffset() - batch.baseOffset() + 1L;
            maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
            validBytes += size;
            shallowCount++;
        }
        if (validBytes != records.sizeInBytes()) {
            throw new CorruptRecordException(
                    "Append to " + topicPartition + " has " + (records.sizeInBytes() - validBytes)
                            + " bytes after its last complete batch (" + validBytes + " of "
                            + records.sizeInBytes() + " bytes valid)");
        }
        if (validBytes > cfg.segmentBytes()) {
            throw new RecordBatchTooLargeException("Message batch size is " + validBytes + " bytes in append to "
                    + topicPartition + " which exceeds the maximum configured segment size of " + cfg.segmentBytes());
        }
        return new Validated(shallowCount, validBytes, offsetCount, firstOffset, lastOffset, maxTimestamp);
    }

    /**
     * A follower append keeps the leader's offsets, so it must start exactly at the log end.
     *
     * @throws UnexpectedAppendOffsetException if the first offset of {@code validated} is not {@code logEndOffset}
     */
    static void checkFollowerStart(Validated validated, long logEndOffset, TopicPartition topicPartition, File dir) {
        if (validated.firstOffset() != logEndOffset) {
            throw new UnexpectedAppendOffsetException(
                    "Follower append to " + topicPartition + " in " + dir + " starts at offset "
                            + validated.firstOffset() + " but the log end offset is " + logEndOffset + " (records "
                            + validated.firstOffset() + ".." + validated.lastOffset() + ")",
                    validated.firstOffset(),
                    logEndOffset);
        }
    }

    /**
     * A compacted log keeps the latest record per key, so a record without a key has no place in
     * it: refused as Kafka's {@code LogValidator} does ({@code INVALID_RECORD}). Iterating the
     * records decompresses a compressed batch; only compacted topics pay for it.
     */
    private static void requireKeys(MutableRecordBatch batch, int batchIndex, TopicPartition topicPartition) {
        String message = "Compacted topic cannot accept message without key in topic partition " + topicPartition + ".";
        List<InvalidRecordsException.RecordError> keyless = new ArrayList<>();
        try (CloseableIterator<Record> records = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
            for (int index = 0; records.hasNext(); index++) {
                if (!records.next().hasKey()) {
                    keyless.add(new InvalidRecordsException.RecordError(index, message));
                }
            }
        }
        if (!keyless.isEmpty()) {
            // every keyless record is named, so the producer fails exactly those
            throw new InvalidRecordsException(
                    message + " Records without a key in batch " + batchIndex + ": "
                            + keyless.stream()
                                    .map(InvalidRecordsException.RecordError::batchIndex)
                                    .toList(),
                    keyless);
        }
    }

    private AppendValidator() {}
}
