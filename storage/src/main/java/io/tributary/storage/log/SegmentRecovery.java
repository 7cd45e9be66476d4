package io.tributary.storage.log;

import io.tributary.storage.log.index.AbortedTxn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery of one {@link LogSegment} whose files a crash may have left inconsistent: the
 * segments past the recovery point after an unclean stop, segments whose indexes are missing or
 * corrupt, and a cleaned segment whose swap a crash interrupted (see {@link LogLoader}).
 *
 * <p><b>What it repairs:</b> the {@code .log} file may end in a torn batch, zeros from a partly
 * flushed page, or garbage; the indexes may be stale, or padded with zeros past their last entry.
 * Recovery rescans the batches from the start ({@link SegmentScan}: size, CRC, magic, increasing
 * offsets), rebuilds the offset and time indexes as the appends made them, and the transaction
 * index when the caller knows the transactions open before the segment, and truncates the file
 * at the end of the last valid batch.
 *
 * <p><b>Thread-safety:</b> runs while the log is being loaded, before the segment is shared.
 */
final class SegmentRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentRecovery.class);

    private SegmentRecovery() {}

    /**
     * As {@link #recover(LogSegment, Function)}, keeping the transaction index as it is: for a
     * cleaned segment whose swap a crash interrupted, written whole before the swap began.
     */
    static int recover(LogSegment segment) throws IOException {
        return recover(segment, null);
    }

    /**
     * Rescans {@code segment}: validates each batch, rebuilds both indexes and truncates the file
     * at the end of the last valid batch.
     *
     * @param transactions shown every valid batch in order, answers the transaction an ABORT
     *                     marker completes; the transaction index is rebuilt from its answers.
     *                     Null keeps the transaction index.
     * @return bytes truncated (garbage, torn or invalid tail)
     */
    static int recover(LogSegment segment, Function<RecordBatch, Optional<AbortedTxn>> transactions)
            throws IOException {
        segment.resetIndexes(transactions != null);
        FileRecords log = segment.log();
        int validBytes = SegmentScan.validBytes(log, segment.baseOffset(), (batch, position) -> {
            segment.indexRecoveredBatch(batch, position);
            if (transactions != null) {
                Optional<AbortedTxn> aborted = transactions.apply(batch);
                if (aborted.isPresent()) {
                    appendAbortedTxn(segment, aborted.get());
                }
            }
        });
        int truncated = log.sizeInBytes() - validBytes;
        if (truncated > 0) {
            LOG.warn(
                    "Truncating {} from {} to {} bytes: {} bytes after the last valid batch",
                    log.file().getAbsolutePath(),
                    log.sizeInBytes(),
                    validBytes,
                    truncated);
            log.truncateTo(validBytes);
        }
        return truncated;
    }

    private static void appendAbortedTxn(LogSegment segment, AbortedTxn txn) {
        try {
            segment.appendAbortedTxn(txn);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Failed to rebuild " + segment.txnIndex().file(), e);
        }
    }
}
