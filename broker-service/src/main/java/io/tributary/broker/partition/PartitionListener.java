package io.tributary.broker.partition;

import io.tributary.common.zk.PartitionState;
import org.apache.kafka.common.TopicPartition;

/**
 * What a {@link Partition} tells its owner ({@link ReplicaManager}): appends and high-watermark
 * moves that may complete delayed operations, and the ISR changes its leader wants written.
 * Called on the thread that made the change, after the partition's monitor is released.
 */
public interface PartitionListener {

    void onAppend(TopicPartition topicPartition);

    void onHighWatermarkChanged(TopicPartition topicPartition);

    /**
     * The leader wants the ISR changed: write {@code proposed} with a compare-and-set on
     * {@code expectedVersion} of the state znode, then {@link Partition#applyState} the result.
     */
    void onIsrChangeProposed(Partition partition, PartitionState proposed, int expectedVersion);

    /**
     * Whether broker {@code replicaId} may join the ISR of {@code topicPartition}: it is
     * registered and its replica is not in an offline log directory. Otherwise the controller
     * would take it out again at once (Kafka's KIP-841 rule).
     */
    default boolean mayJoinIsr(TopicPartition topicPartition, int replicaId) {
        return true;
    }
}
