package io.tributary.broker.server.handler;

import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.VerificationGuard;
import io.tributary.broker.producer.TransactionVerifier;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.storage.log.LogAppendInfo;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;

/**
 * A produce's append to one partition, verified with the transaction coordinator first when it
 * may open a transaction there (KIP-890 part 1, Kafka's {@code ReplicaManager} verification), or
 * with transactions V2 (part 2, Produce v12+) added to the transaction through the coordinator,
 * since a V2 producer sends no AddPartitionsToTxn.
 *
 * <p>Three steps, all placed in the partition's order on the {@link RequestHandlerPool} when the
 * request is read: the partition hands out a {@link VerificationGuard} (or says the producer's
 * transaction is already open here); the coordinator is asked, with no thread held; the append
 * runs once the answer is in and keeps the guard check for the final word. The partition's later
 * appends wait behind it, so the producer's sequence order holds.
 *
 * <p>The coordinator's answer is translated as Kafka does for producers: a partition outside the
 * transaction is {@code INVALID_TXN_STATE} to Produce v0-10 and {@code TRANSACTION_ABORTABLE} to
 * v11+ (clients that abort on it); a coordinator that could not answer is
 * {@code NOT_ENOUGH_REPLICAS}, which every client retries without refreshing its metadata.
 */
final class VerifiedAppends {

    /** Produce v11 is the first whose clients handle {@code TRANSACTION_ABORTABLE}. */
    private static final short TRANSACTION_ABORTABLE_VERSION = 11;
    /** Produce v12+ from a transactions-V2 producer: the leader adds the partition (no AddPartitionsToTxn came). */
    private static final short IMPLICIT_ADD_VERSION = 12;

    private final RequestHandlerPool pool;
    private final TransactionVerifier verifier;

    VerifiedAppends(RequestHandlerPool pool, TransactionVerifier verifier) {
        this.pool = pool;
        this.verifier = verifier;
    }

    /** Submits the append of {@code records} in the partition's order; verified first when it has to be. */
    CompletableFuture<LogAppendInfo> submit(
            Partition partition, MemoryRecords records, short acks, String transactionalId, short produceVersion) {
        TopicPartition tp = partition.topicPartition();
        MutableRecordBatch transactional = firstTransactionalBatch(records);
        boolean add = produceVersion >= IMPLICIT_ADD_VERSION && verifier.addsPartitions();
        if ((!verifier.enabled() && !add) || transactionalId == null || transactional == null) {
            return pool.submitInOrder(tp, () -> partition.appendAsLeader(records, acks));
        }
        long producerId = transactional.producerId();
        short producerEpoch = transactional.producerEpoch();
        int firstSequence = transactional.baseSequence();
        CompletableFuture<VerificationGuard> guard = pool.submitInOrder(
                tp, () -> partition.startTransactionVerification(producerId, producerEpoch, firstSequence));
        CompletableFuture<Errors> verdict = guard.thenCompose(started -> started.needsVerification()
                ? verifier.verify(transactionalId, producerId, producerEpoch, tp, add)
                : CompletableFuture.completedFuture(Errors.NONE));
        return pool.submitInOrder(tp, verdict, () -> {
            VerificationGuard started = guard.join();
            Errors error = verdict.join();
            if (error != Errors.NONE) {
                ApiException refusal = produceError(error, produceVersion, tp);
                if (!(refusal instanceof RetriableException)) {
                    // retried, the batch comes back with the same sequence: its guard stays for it
                    partition.abandonTransactionVerification(started);
                }
                throw refusal;
            }
            return partition.appendAsLeader(records, acks, started);
        });
    }

    private static MutableRecordBatch firstTransactionalBatch(MemoryRecords records) {
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.isTransactional() && batch.hasProducerId() && !batch.isControlBatch()) {
                return batch;
            }
        }
        return null;
    }

    static ApiException produceError(Errors verdict, short produceVersion, TopicPartition tp) {
        return switch (verdict) {
            case TRANSACTION_ABORTABLE, INVALID_TXN_STATE -> {
                Errors error = produceVersion >= TRANSACTION_ABORTABLE_VERSION
                        ? Errors.TRANSACTION_ABORTABLE
                        : Errors.INVALID_TXN_STATE;
                yield error.exception(tp + " was not added to the transaction (or the transaction has ended)");
            }
            case CONCURRENT_TRANSACTIONS,
                    NETWORK_EXCEPTION,
                    COORDINATOR_LOAD_IN_PROGRESS,
                    COORDINATOR_NOT_AVAILABLE,
                    NOT_COORDINATOR ->
                new NotEnoughReplicasException("Unable to verify that " + tp + " is in the transaction: " + verdict);
            default -> verdict.exception();
        };
    }
}
