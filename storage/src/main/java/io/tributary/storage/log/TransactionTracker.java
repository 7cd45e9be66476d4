package io.tributary.storage.log;

import io.tributary.storage.log.index.AbortedTxn;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The transactions open in one partition log, from the batch headers it has been shown in offset
 * order: the first offset of each producer's open transaction. From it come the entries of the
 * {@code .txnindex} files (an ABORT marker closes a transaction that started at a known offset)
 * and the first unstable offset, below which the log cleaner may work.
 *
 * <p>Not persisted: the log loader replays the batch headers of the whole log when it opens it
 * (Kafka starts from a producer-state snapshot instead).
 *
 * <p>Thread-safety: updated under the log's lock only; {@link #firstUnstableOffset()} is
 * published for lock-free readers.
 */
final class TransactionTracker {

    /** Producer id to the offset of its first batch in its open transaction. */
    private final Map<Long, Long> ongoing = new HashMap<>();

    private volatile long firstUnstableOffset = Long.MAX_VALUE;

    /**
     * Takes one appended batch (offsets assigned).
     *
     * @return the aborted transaction an ABORT marker completes, to be written to the index of
     *         the marker's segment; empty for every other batch
     */
    Optional<AbortedTxn> onBatch(RecordBatch batch) {
        if (!batch.isTransactional()) {
            return Optional.empty();
        }
        if (!batch.isControlBatch()) {
            if (ongoing.putIfAbsent(batch.producerId(), batch.baseOffset()) == null) {
                publishFirstUnstable();
            }
            return Optional.empty();
        }
        Long firstOffset = ongoing.remove(batch.producerId());
        publishFirstUnstable();
        if (firstOffset == null || !isAbort(batch)) {
            return Optional.empty();
        }
        // as Kafka: the last stable offset once this marker is written
        long lastStable = Math.min(firstUnstableOffset, batch.lastOffset() + 1);
        return Optional.of(new AbortedTxn(batch.producerId(), firstOffset, batch.lastOffset(), lastStable));
    }

    /** Forgets every transaction (before a replay from the log start). */
    void clear() {
        ongoing.clear();
        publishFirstUnstable();
    }

    /** Replays {@code batches} in offset order, discarding the completed transactions. */
    void replay(Iterable<? extends RecordBatch> batches) {
        for (RecordBatch batch : batches) {
            onBatch(batch);
        }
    }

    /** The first offset of the oldest open transaction, {@link Long#MAX_VALUE} when none is open. */
    long firstUnstableOffset() {
        return firstUnstableOffset;
    }

    private void publishFirstUnstable() {
        long first = Long.MAX_VALUE;
        for (long offset : ongoing.values()) {
            first = Math.min(first, offset);
        }
        firstUnstableOffset = first;
    }

    /** Whether a control batch is an ABORT marker (an emptied marker is neither). */
    static boolean isAbort(RecordBatch marker) {
        Iterator<Record> records = marker.iterator();
        return records.hasNext() && ControlRecordType.parse(records.next().key()) == ControlRecordType.ABORT;
    }
}
