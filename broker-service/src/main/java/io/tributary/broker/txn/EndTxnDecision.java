package io.tributary.broker.txn;

import io.tributary.broker.txn.TransactionCoordinator.EndResult;
import java.util.function.LongSupplier;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;

/**
 * What an EndTxn does to a transactional id's state (Kafka's {@code endTransaction} checks, in
 * its order): answer at once (an error, or a retry of an end already done), or decide the
 * transaction, moving it to the Prepare state that the coordinator then writes and completes.
 *
 * <p>Transactions V2 (EndTxn v5, KIP-890 part 2): the decision bumps the epoch, and when the
 * bump reaches {@link Short#MAX_VALUE} (no client may hold it) the producer goes on with a new
 * producer id at epoch 0; the answer names the id and epoch to go on with. A retry of that end
 * carries the epoch before the bump; it is recognised from the state alone (see
 * {@link TransactionMetadata#isRetryOfEnd}), so a coordinator that loaded the state from
 * {@code __transaction_state} after a failover answers it as the first one would have.
 *
 * <p>Stateless and thread-safe; the caller holds the id against concurrent transitions.
 */
final class EndTxnDecision {

    /**
     * The outcome: {@code prepared} is the state to write (null to answer at once) and
     * {@code result} the answer (once {@code prepared} is written).
     */
    record Outcome(TransactionMetadata prepared, EndResult result) {

        static Outcome answer(EndResult result) {
            return new Outcome(null, result);
        }
    }

    private EndTxnDecision() {}

    /**
     * @param current       the id's state, null when the coordinator knows no such id
     * @param bumpEpoch     EndTxn v5: transactions V2
     * @param newProducerId allocates a producer id (for a V2 end whose epochs are used up)
     */
    static Outcome decide(
            TransactionMetadata current,
            long producerId,
            short producerEpoch,
            boolean commit,
            boolean bumpEpoch,
            LongSupplier newProducerId,
            long nowMs) {
        if (bumpEpoch && current != null && current.isRetryOfEnd(producerId, producerEpoch, commit)) {
            return Outcome.answer(EndResult.continuing(current));
        }
        Errors invalid = TransactionCoordinator.checkProducer(current, producerId, producerEpoch);
        if (invalid != Errors.NONE) {
            return Outcome.answer(EndResult.of(invalid));
        }
        TransactionState state = current.state();
        // a V2 producer cannot tell whether its first produce reached the coordinator, so it may
        // abort with no transaction open; that abort bumps the epoch as any V2 end does
        boolean abortIdle = bumpEpoch && !commit && state.isIdle();
        if (state == TransactionState.ONGOING || abortIdle) {
            TransactionState prepare = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
            if (!bumpEpoch) {
                return new Outcome(current.withState(prepare, nowMs), EndResult.of(Errors.NONE));
            }
            long next = isEpochExhausted(current) ? newProducerId.getAsLong() : RecordBatch.NO_PRODUCER_ID;
            TransactionMetadata prepared = current.decidedWithBump(prepare, next, nowMs);
            return new Outcome(prepared, EndResult.continuing(prepared));
        }
        boolean repeated = (commit && state == TransactionState.COMPLETE_COMMIT)
                || (!commit && state == TransactionState.COMPLETE_ABORT);
        if (!bumpEpoch && repeated) {
            return Outcome.answer(EndResult.of(Errors.NONE)); // V1: a retry of an end already done
        }
        return Outcome.answer(
                EndResult.of(state.isPreparing() ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE));
    }

    /** Kafka's {@code isEpochExhausted}: the next bump would reach {@code Short.MAX_VALUE}. */
    static boolean isEpochExhausted(TransactionMetadata current) {
        return current.producerEpoch() >= Short.MAX_VALUE - 1;
    }
}
