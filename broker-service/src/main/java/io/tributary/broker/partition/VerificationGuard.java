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
 * <p>Compared by identity. Immutable and thread-safe.
 */
public final class VerificationGuard {

    /** Handed out when the producer's transaction was already open on the partition: nothing to verify. */
    public static final VerificationGuard NOT_NEEDED = new VerificationGuard(-1L, (short) -1);

    private final long producerId;
    private final short producerEpoch;

    VerificationGuard(long producerId, short producerEpoch) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
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
