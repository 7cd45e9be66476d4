package io.tributary.broker.txn;

import io.tributary.broker.partition.DelayedOperation;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaManager;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Waits, as an {@code acks=all} produce does, until a leader's high watermark passes an append:
 * a transaction state record or a marker counts only once the ISR has it.
 */
final class HighWatermarkWait extends DelayedOperation {

    private final Partition partition;
    private final long requiredHighWatermark;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private HighWatermarkWait(Partition partition, long requiredHighWatermark) {
        super(List.of(partition.topicPartition()));
        this.partition = partition;
        this.requiredHighWatermark = requiredHighWatermark;
    }

    /** Completes when the high watermark reaches {@code requiredHighWatermark}; fails on a leader change or after {@code timeoutMs}. */
    static CompletableFuture<Void> until(
            ReplicaManager replicaManager, Partition partition, long requiredHighWatermark, long timeoutMs) {
        HighWatermarkWait wait = new HighWatermarkWait(partition, requiredHighWatermark);
        replicaManager.watchProduce(wait, timeoutMs);
        return wait.done;
    }

    @Override
    public boolean tryComplete() {
        if (partition.isLeader() && partition.highWatermark() < requiredHighWatermark) {
            return false;
        }
        return forceComplete();
    }

    @Override
    protected void onComplete() {
        if (!partition.isLeader()) {
            done.completeExceptionally(new NotLeaderOrFollowerException(
                    "Leadership of " + partition.topicPartition() + " moved before the write was replicated"));
        } else if (partition.highWatermark() < requiredHighWatermark) {
            done.completeExceptionally(new TimeoutException(
                    "The write to " + partition.topicPartition() + " was not replicated to the ISR in time"));
        } else {
            done.complete(null);
        }
    }
}
