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
        public CompletableFuture<Errors> verify(
                String transactionalId, long producerId, short producerEpoch, TopicPartition partition) {
            return CompletableFuture.completedFuture(Errors.NONE);
        }
    };

    boolean enabled();

    /**
     * The coordinator's verdict on {@code partition}: {@code NONE} when it is in the open
     * transaction of {@code producerId} at {@code producerEpoch}; {@code TRANSACTION_ABORTABLE}
     * when it is not (the transaction ended, or the partition was never added);
     * {@code INVALID_PRODUCER_EPOCH} for a fenced producer; {@code INVALID_PRODUCER_ID_MAPPING};
     * a retriable coordinator or network error when the coordinator could not answer.
     */
    CompletableFuture<Errors> verify(
            String transactionalId, long producerId, short producerEpoch, TopicPartition partition);
}
