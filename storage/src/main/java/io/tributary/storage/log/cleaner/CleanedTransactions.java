package io.tributary.storage.log.cleaner;

import io.tributary.storage.log.index.AbortedTxn;
import io.tributary.storage.log.index.TransactionIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;

/**
 * What the cleaner knows of transactions while it walks batches in offset order, as Kafka's
 * {@code CleanedTransactionMetadata}. The cleaner only reads below the last stable offset, so
 * every transactional batch it meets belongs to a decided transaction: aborted if the log's
 * {@code .txnindex} files list it, committed otherwise.
 *
 * <ul>
 *   <li>A data batch of an aborted transaction is discarded (and never enters the offset map,
 *       where it would supersede a committed value of its key).</li>
 *   <li>A COMMIT marker may go once no batch of its transaction was met since the previous
 *       marker of its producer (they were all cleaned away earlier).</li>
 *   <li>An ABORT marker is kept while this walk still met batches of its transaction (they are
 *       removed now; the marker goes in a later cleaning), and its index entry is written to the
 *       cleaned segment then; otherwise it may go.</li>
 * </ul>
 * "May go" is decided by the caller: a marker is removed only once its batch's delete horizon
 * ({@code delete.retention.ms} after the cleaning that first found it removable) has passed, so a
 * consumer part-way through the transaction still sees it.
 *
 * <p>Not thread-safe: one per cleaning.
 */
final class CleanedTransactions {

    private final PriorityQueue<AbortedTxn> pending =
            new PriorityQueue<>(Comparator.comparingLong(AbortedTxn::firstOffset));
    private final Set<AbortedTxn> known = new HashSet<>();
    /** Producer id to the aborted transaction the walk is inside. */
    private final Map<Long, AbortedTxn> ongoingAborted = new HashMap<>();
    /** The producers of {@link #ongoingAborted} whose transaction had a batch in the walk. */
    private final Set<Long> abortedBatchesMet = new HashSet<>();
    /** The producers inside a transaction that had a batch in the walk and is not aborted. */
    private final Set<Long> ongoingCommitted = new HashSet<>();

    private TransactionIndex cleanedIndex;

    /** @param aborted the log's aborted transactions overlapping what will be walked, in any order */
    CleanedTransactions(List<AbortedTxn> aborted) {
        for (AbortedTxn txn : aborted) {
            if (known.add(txn)) {
                pending.add(txn);
            }
        }
    }

    /** Where the index entries of the aborted transactions whose markers are kept go (null: nowhere). */
    void writeIndexTo(TransactionIndex index) {
        this.cleanedIndex = index;
    }

    /**
     * Takes the next batch of the walk.
     *
     * @return true if its records may be discarded: aborted data, or a marker whose transaction
     *         has no batch left (an emptied marker included)
     */
    boolean onBatch(RecordBatch batch) {
        startAbortedUpTo(batch.lastOffset());
        if (!batch.isTransactional()) {
            return false;
        }
        long producerId = batch.producerId();
        if (!batch.isControlBatch()) {
            if (ongoingAborted.containsKey(producerId)) {
                abortedBatchesMet.add(producerId);
                return true;
            }
            ongoingCommitted.add(producerId);
            return false;
        }
        Iterator<Record> records = batch.iterator();
        if (!records.hasNext()) {
            return true;
        }
        ControlRecordType type = ControlRecordType.parse(records.next().key());
        if (type == ControlRecordType.COMMIT) {
            return !ongoingCommitted.remove(producerId);
        }
        if (type != ControlRecordType.ABORT) {
            return false;
        }
        AbortedTxn txn = ongoingAborted.remove(producerId);
        boolean batchesMet = abortedBatchesMet.remove(producerId);
        if (txn != null && batchesMet) {
            appendToCleanedIndex(txn);
            return false;
        }
        return true;
    }

    private void startAbortedUpTo(long offset) {
        while (!pending.isEmpty() && pending.peek().firstOffset() <= offset) {
            AbortedTxn txn = pending.poll();
            ongoingAborted.putIfAbsent(txn.producerId(), txn);
        }
    }

    private void appendToCleanedIndex(AbortedTxn txn) {
        if (cleanedIndex == null) {
            return;
        }
        try {
            cleanedIndex.append(txn);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + cleanedIndex.file(), e);
        }
    }
}
