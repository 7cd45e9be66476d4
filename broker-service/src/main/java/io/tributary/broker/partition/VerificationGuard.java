package io.tributary.broker.partition;

/**
 * The token of one transaction verification on a partition leader (KIP-890 part 1, Kafka's
 * {@code VerificationGuard}): made when a producer with no open transaction on the partition
 * sends a transactional batch, before the leader asks the transaction coordinator whether the
 * partition is in the producer's transaction. The append then goes through only if the
 * partition still holds this very token: a transaction marker written meanwhile (an abort that
 * overtook the verification) or a new leadership drops it, and the late batch is refused rather
 * than left open forever (a "hanging transaction" that would hold the last stable offset back).
 *
 * <p>Requests of one producer verified side by side share the guard (Kafka's {@code
 * VerificationStateEntry}), which remembers the lowest first sequence among them. It outlives a
 * verification that failed retriably (the coordinator was busy): the producer sends that batch
 * again, and until it is appended a later batch of the producer must not be, or the producer's
 * sequence would start past a gap the earlier batch could never fill (it would be refused as out
 * of order until the transaction timed out).
 *
 * <p>Compared by identity. The identity fields are immutable; the lowest sequence is guarded by
 * the partition's monitor.
 */
public final class VerificationGuard {

    /** Handed out when the producer's transaction was already open on the partition: nothing to verify. */
    public static final VerificationGuard NOT_NEEDED = new VerificationGuard(-1L, (short) -1, -1);

    private final long producerId;
    private final short producerEpoch;
    /** The lowest first sequence of the batches verified with this guard; under the partition's monitor. */
    private int lowestSequence;

    VerificationGuard(long producerId, short producerEpoch, int firstSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.lowestSequence = firstSequence;
    }

    /** One more batch of the producer is verified with this guard. */
    void share(int firstSequence) {
        lowestSequence = Math.min(lowestSequence, firstSequence);
    }

    int lowestSequence() {
        return lowestSequence;
    }

    public long producerId() {
        return producerId;
    }

    /** The epoch of the batch being verified. */
    public short producerEpoch() {
        return producerEpoch;
    }

    /** Whether the coordinator must be asked before the append. */
    public boolean needsVerification() {
        return this != NOT_NEEDED;
    }

    @Override
    public String toString() {
        return needsVerification() ? "VerificationGuard(producer " + producerId + ")" : "VerificationGuard(not needed)";
    }
}
