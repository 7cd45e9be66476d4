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
 * the last complete batch, record counts (leader) or increasing offsets (follower), on a
 * compacted log a key on every record (leader), and CreateTime timestamps within
 * {@code message.timestamp.before.max.ms}/{@code after.max.ms} of the clock (leader). Refused
 * records are named ({@link RecordErrors}). Reads only batch headers and the CRC, except that
 * the key check iterates (and so decompresses) the records of a compacted log, and the timestamp
 * check those of a batch whose header is already out of bounds or of a topic that bounds
 * {@code before.max.ms}. Stateless and thread-safe.
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
    static Validated validate(
            MemoryRecords records, boolean asLeader, LogConfig cfg, TopicPartition topicPartition, long now) {
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
            if (asLeader
                    && !cfg.logAppendTime()
                    && !batch.isControlBatch()
                    && mayBreakTimestampBounds(batch, cfg, now)) {
                requireTimestampsInBounds(batch, shallowCount, cfg, now, topicPartition);
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
        List<RecordError> keyless = new ArrayList<>();
        try (CloseableIterator<Record> records = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
            for (int index = 0; records.hasNext(); index++) {
                if (!records.next().hasKey()) {
                    keyless.add(new RecordError(index, message));
                }
            }
        }
        if (!keyless.isEmpty()) {
            // every keyless record is named, so the producer fails exactly those
            throw new InvalidRecordsException(
                    message + " Records without a key in batch " + batchIndex + ": "
                            + keyless.stream().map(RecordError::batchIndex).toList(),
                    keyless);
        }
    }

    /**
     * Whether a record of {@code batch} may lie outside {@code message.timestamp.before.max.ms} /
     * {@code after.max.ms}, from the header alone: its max timestamp bounds the records from
     * above, so with the default (unbounded) {@code before.max.ms} a batch is checked without
     * reading its records. Only a bounded {@code before.max.ms} (the header has no minimum) or a
     * header already out of bounds makes the records be read.
     */
    private static boolean mayBreakTimestampBounds(RecordBatch batch, LogConfig cfg, long now) {
        long max = batch.maxTimestamp();
        return cfg.timestampBeforeMaxMs() != Long.MAX_VALUE
                || (max != RecordBatch.NO_TIMESTAMP && max - now > cfg.timestampAfterMaxMs());
    }

    /** Kafka's {@code LogValidator.validateTimestamp} for CreateTime: names every record out of bounds. */
    private static void requireTimestampsInBounds(
            MutableRecordBatch batch, int batchIndex, LogConfig cfg, long now, TopicPartition topicPartition) {
        List<RecordError> outOfBounds = new ArrayList<>();
        try (CloseableIterator<Record> records = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
            for (int index = 0; records.hasNext(); index++) {
                long timestamp = records.next().timestamp();
                if (timestamp != RecordBatch.NO_TIMESTAMP
                        && (now - timestamp > cfg.timestampBeforeMaxMs()
                                || timestamp - now > cfg.timestampAfterMaxMs())) {
                    outOfBounds.add(new RecordError(
                            index,
                            "Timestamp " + timestamp + " of message with offset " + index
                                    + " is out of range. The timestamp should be within ["
                                    + bound(now, -cfg.timestampBeforeMaxMs())
                                    + ", " + bound(now, cfg.timestampAfterMaxMs()) + "]"));
                }
            }
        }
        if (!outOfBounds.isEmpty()) {
            throw new InvalidTimestampsException(
                    "Batch " + batchIndex + " of an append to " + topicPartition + " has " + outOfBounds.size()
                            + " record(s) with a timestamp out of range: "
                            + outOfBounds.get(0).message(),
                    outOfBounds);
        }
    }

    /** {@code now + delta}, saturated: the default bounds are {@code Long.MAX_VALUE}. */
    private static long bound(long now, long delta) {
        long sum = now + delta;
        return ((now ^ sum) & (delta ^ sum)) < 0 ? (delta < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    private AppendValidator() {}
}
