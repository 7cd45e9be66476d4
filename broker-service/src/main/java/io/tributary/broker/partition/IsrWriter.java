package io.tributary.broker.partition;

import io.tributary.common.zk.PartitionState;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a leader's ISR changes go: the partition state the controller also writes, changed only
 * by a compare-and-set on its version so that neither side overwrites the other's decision. The
 * {@link ReplicaManager} proposes through it and applies what it answers; the ZooKeeper
 * implementation lives in {@code replication}. Implementations complete their futures off the
 * caller's thread and are thread-safe.
 */
public interface IsrWriter extends AutoCloseable {

    /** A state with the version of the record it was read from. */
    record VersionedState(PartitionState state, int version) {}

    /**
     * Writes {@code state} if the stored state is still at {@code expectedVersion}; completes with
     * the new version, or exceptionally when the version moved (a lost race) or the store is away.
     */
    CompletableFuture<Integer> write(TopicPartition tp, PartitionState state, int expectedVersion);

    /** The stored state now; empty when the partition has none (its topic was deleted). */
    CompletableFuture<Optional<VersionedState>> read(TopicPartition tp);

    @Override
    void close();
}
