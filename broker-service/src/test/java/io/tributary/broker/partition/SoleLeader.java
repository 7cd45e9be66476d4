package io.tributary.broker.partition;

import io.tributary.common.zk.PartitionState;
import io.tributary.storage.log.PartitionLog;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/** A partition led by broker 1 alone (epoch 0, ISR [1]) over a given log, telling no listener anything. */
final class SoleLeader {

    private SoleLeader() {}

    static Partition over(TopicPartition tp, PartitionLog log, Clock clock, long producerIdExpirationMs) {
        Partition leader =
                new Partition(tp, Uuid.randomUuid(), 1, log, clock, new NoListener(), producerIdExpirationMs);
        leader.applyState(new PartitionState(1, 0, List.of(1), 0), 0, List.of(1), 1);
        return leader;
    }

    private static final class NoListener implements PartitionListener {
        @Override
        public void onAppend(TopicPartition topicPartition) {}

        @Override
        public void onHighWatermarkChanged(TopicPartition topicPartition) {}

        @Override
        public void onIsrChangeProposed(Partition p, PartitionState proposed, int expectedVersion) {}
    }
}
