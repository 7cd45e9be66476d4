package io.tributary.broker.partition;

import io.tributary.broker.producer.ProducerStateManager;
import io.tributary.storage.log.PartitionLog;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upkeep of a replica's producer state, on leaders and followers alike, as the broker's
 * periodic tasks and shutdown drive it: forgetting idle producers, counting them, and the snapshot
 * at a clean shutdown. The state itself is {@link ProducerStateManager}'s; the appends and
 * truncations keep it in step with the log. Nothing is done once the replica or its log is
 * offline.
 *
 * <p>Thread-safety: every call holds the partition's monitor, passed in as {@code partition}, as
 * the appends that change the state do.
 */
public final class PartitionProducerState {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionProducerState.class);

    private final Partition partition;
    private final PartitionLog log;
    private final ProducerStateManager producers;
    private final Clock clock;

    PartitionProducerState(Partition partition, PartitionLog log, ProducerStateManager producers, Clock clock) {
        this.partition = partition;
        this.log = log;
        this.producers = producers;
        this.clock = clock;
    }

    /**
     * Forgets the producers idle for {@code producer.id.expiration.ms} that have no open
     * transaction here (Kafka's periodic check); the next snapshot no longer holds them.
     */
    public void removeExpired() {
        synchronized (partition) {
            if (partition.isOffline() || log.isOffline()) {
                return;
            }
            int expired = producers.removeExpiredProducers(clock.millis());
            if (expired > 0) {
                LOG.debug(
                        "{}: expired {} producer ids, {} remain",
                        partition.topicPartition(),
                        expired,
                        producers.producerCount());
            }
        }
    }

    /** The producer ids this replica keeps state for (Kafka's {@code ProducerIdCount}). */
    public int producerIdCount() {
        synchronized (partition) {
            return producers.producerCount();
        }
    }

    /**
     * Clean shutdown, once nothing appends any more: snapshots the producer state at the log end,
     * fsynced, so that the next start replays nothing.
     */
    public void snapshotForShutdown() {
        synchronized (partition) {
            if (partition.isOffline() || log.isOffline()) {
                return;
            }
            producers.takeSnapshot(log.logEndOffset(), log.logStartOffset(), true);
        }
    }
}
