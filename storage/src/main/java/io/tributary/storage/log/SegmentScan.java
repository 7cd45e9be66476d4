package io.tributary.storage.log;

import java.io.IOException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery scan of one segment's {@code .log} file: reads the batches from the start and
 * finds where the valid prefix ends, handing each valid batch to a visitor (which rebuilds the
 * indexes). A batch is valid if it is complete, passes its CRC ({@code ensureValid}), has magic
 * v2, and its offsets increase from the previous batch and fit in 32 bits relative to the base
 * offset. The scan stops at the first batch that is not: after a crash that is a torn write,
 * zeros from a preallocated or partly flushed page, or garbage, and everything from there on is
 * what {@link SegmentRecovery} truncates.
 *
 * <p>An invalid batch is logged at WARN with the file and position; an {@link IOException}
 * (also when Kafka's record classes wrap one) propagates. Stateless and thread-safe; the file
 * must not change during the scan.
 */
final class SegmentScan {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentScan.class);

    /** Receives each valid batch with its byte position in the file. */
    @FunctionalInterface
    interface BatchVisitor {
        void accept(FileChannelRecordBatch batch, int position);
    }

    private SegmentScan() {}

    /**
     * Scans {@code log}, whose first offset may not be below {@code baseOffset}.
     *
     * @return the number of bytes of valid batches at the start of the file
     */
    static int validBytes(FileRecords log, long baseOffset, BatchVisitor visitor) throws IOException {
        int validBytes = 0;
        long lastOffset = baseOffset - 1;
        try {
            for (FileChannelRecordBatch batch : log.batches()) {
                batch.ensureValid();
                if (batch.magic() < RecordBatch.MAGIC_VALUE_V2) {
                    throw new CorruptRecordException(
                            "Batch at position " + validBytes + " has magic " + batch.magic() + ", only v2 is written");
                }
                if (batch.baseOffset() <= lastOffset
                        || batch.lastOffset() < batch.baseOffset()
                        || batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
                    throw new CorruptRecordException("Batch at position " + validBytes + " has offsets "
                            + batch.baseOffset() + ".." + batch.lastOffset() + " after offset " + lastOffset);
                }
                visitor.accept(batch, validBytes);
                validBytes += batch.sizeInBytes();
                lastOffset = batch.lastOffset();
            }
        } catch (CorruptRecordException | InvalidRecordException e) {
            LOG.warn(
                    "Found invalid batch in {} at byte {}: {}",
                    log.file().getAbsolutePath(),
                    validBytes,
                    e.getMessage());
        } catch (KafkaException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            LOG.warn(
                    "Found unreadable batch in {} at byte {}: {}",
                    log.file().getAbsolutePath(),
                    validBytes,
                    e.getMessage());
        }
        return validBytes;
    }
}
