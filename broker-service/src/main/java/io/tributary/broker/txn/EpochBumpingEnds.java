package io.tributary.broker.txn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last EndTxn v5 (transactions V2) of each transactional id, so that a producer retrying it
 * (its answer was lost) gets the epoch it already bumped to instead of {@code PRODUCER_FENCED}:
 * its request still carries the epoch before the bump. Kafka keeps this as the transaction's
 * "last producer epoch" in its state log; here it is kept in memory only, so a retry that
 * reaches a new coordinator after a failover is fenced (the producer must then re-initialize).
 * Any other epoch change (InitProducerId, fencing) forgets the id, so a fenced producer's stale
 * end never matches.
 *
 * <p>Thread-safe.
 */
final class EpochBumpingEnds {

    private record Ended(long producerId, short producerEpoch, boolean commit) {}

    private final Map<String, Ended> ends = new ConcurrentHashMap<>();

    /** Records that the transaction of {@code producerId} at {@code producerEpoch} was ended with a bump. */
    void ended(String transactionalId, long producerId, short producerEpoch, boolean commit) {
        ends.put(transactionalId, new Ended(producerId, producerEpoch, commit));
    }

    void forget(String transactionalId) {
        ends.remove(transactionalId);
    }

    /**
     * Whether the end is a retry of the last one: same producer, epoch and decision, and the
     * transaction has not moved on since (it is still that decision's Prepare or Complete state).
     */
    boolean isRetry(
            String transactionalId, TransactionMetadata current, long producerId, short producerEpoch, boolean commit) {
        Ended last = ends.get(transactionalId);
        if (current == null || last == null || !last.equals(new Ended(producerId, producerEpoch, commit))) {
            return false;
        }
        TransactionState state = current.state();
        return commit
                ? state == TransactionState.PREPARE_COMMIT || state == TransactionState.COMPLETE_COMMIT
                : state == TransactionState.PREPARE_ABORT || state == TransactionState.COMPLETE_ABORT;
    }
}
