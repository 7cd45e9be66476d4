package io.tributary.broker.producer;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Asks a producer's transaction coordinator whether a partition is in the producer's open
 * transaction, before the partition's leader appends the first transactional batch of that
 * transaction (KIP-890 part 1, Kafka's {@code transaction.partition.verification.enable}).
 * Implemented by the transaction coordinator's side of the broker; the produce path knows only
 * this interface.
 *
 * <p>Thread-safe; the futures complete on a network thread and never fail.
 */
public interface TransactionVerifier {

    /** A broker that does not verify: the produce path appends as before KIP-890. */
    TransactionVerifier DISABLED = new TransactionVerifier() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public boolean addsPartitions() {
            return false;
        }

        @Override
        public CompletableFuture<Errors> verify(
                String transactionalId,
                long producerId,
                short producerEpoch,
                TopicPartition partition,
                boolean addPartition) {
            return CompletableFuture.completedFuture(Errors.NONE);
        }
    };

    /** Whether the first transactional batch of a transaction on a partition is verified (v0-11 produces). */
    boolean enabled();

    /**
     * Whether transactions V2 are on (KIP-890 part 2): a Produce v12+ from a V2 producer, which
     * sends no AddPartitionsToTxn, adds the partition to the transaction through the coordinator.
     */
    boolean addsPartitions();

    /**
     * The coordinator's verdict on {@code partition}: {@code NONE} when it is in the open
     * transaction of {@code producerId} at {@code producerEpoch}; {@code TRANSACTION_ABORTABLE}
     * when it is not (the transaction ended, or the partition was never added);
     * {@code INVALID_PRODUCER_EPOCH} for a fenced producer; {@code INVALID_PRODUCER_ID_MAPPING};
     * a retriable coordinator or network error when the coordinator could not answer. With
     * {@code addPartition} (transactions V2) the coordinator adds the partition to the producer's
     * transaction (beginning one if none is open) instead of only checking it.
     */
    CompletableFuture<Errors> verify(
            String transactionalId,
            long producerId,
            short producerEpoch,
            TopicPartition partition,
            boolean addPartition);
}
