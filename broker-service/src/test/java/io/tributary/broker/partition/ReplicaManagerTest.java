package io.tributary.broker.partition;

import static io.tributary.broker.testing.TestRecords.batch;
import static io.tributary.broker.testing.TestRecords.idempotentBatchAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.producer.ProducerStateProperties;
import io.tributary.broker.testing.MutableClock;
import io.tributary.broker.testing.TestBroker;
import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.storage.log.PartitionLog;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broker 1's replica manager over a real log directory, fed by the cluster metadata cache on a
 * real ZooKeeper where the test writes what metadata-service and the controller would. Broker 2
 * is only a name in assignments: it never runs.
 */
class ReplicaManagerTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private TestBroker broker;

    @AfterEach
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private TestBroker start(long replicaLagTimeMaxMs) {
        return start(replicaLagTimeMaxMs, ProducerStateProperties.DEFAULTS);
    }

    private TestBroker start(long replicaLagTimeMaxMs, ProducerStateProperties producerState) {
        broker = new TestBroker(
                1,
                ZOOKEEPER.connectString(),
                "rm-test-" + NAMESPACES.incrementAndGet(),
                dir,
                clock,
                replicaLagTimeMaxMs,
                1,
                1,
                producerState);
        return broker;
    }

    // ---- periodic checks ----

    @Test
    void shouldForgetAnIdleProducerOnThePeriodicExpirationCheck() throws Exception {
        start(30_000, new ProducerStateProperties(Duration.ofMinutes(1), Duration.ofMillis(100)));
        Partition partition = broker.createLedTopic("orders", Map.of());
        partition.appendAsLeader(idempotentBatchAt(clock.millis(), 7, (short) 0, 0, "a"), (short) 1);
        // the clock stands still: however often the check runs, the producer is not idle yet
        assertThat(partition.producerState().producerIdCount()).isOne();

        clock.advance(Duration.ofMinutes(1));

        await().atMost(TestBroker.AWAIT).until(() -> partition.producerState().producerIdCount() == 0);
    }

    // ---- logs follow the assignment ----

    @Test
    void shouldCreateALogAndTakeTheRoleForEachPartitionAssignedHere() throws Exception {
        start(30_000);
        broker.createTopic("orders", Map.of(0, List.of(1, 2), 1, List.of(2, 3), 2, List.of(2, 1)), Map.of());
        broker.writeState("orders", 0, new PartitionState(1, 0, List.of(1, 2), 1));
        broker.writeState("orders", 2, new PartitionState(2, 3, List.of(2, 1), 1));

        Partition leader = broker.awaitPartition(ORDERS_0, Partition::isLeader);
        Partition follower = broker.awaitPartition(new TopicPartition("orders", 2), p -> p.leaderId() == 2);

        assertThat(leader.isr()).containsExactly(1, 2);
        assertThat(leader.replicas()).containsExactly(1, 2);
        assertThat(follower.isLeader()).isFalse();
        assertThat(follower.leaderEpoch()).isEqualTo(3);
        assertThat(broker.log(ORDERS_0))
                .get()
                .satisfies(log -> assertThat(log.dir()).isDirectory());
        assertThat(broker.log(ORDERS_1)).isEmpty();
        assertThat(broker.replicaManager().localPartition(ORDERS_1)).isEmpty();
    }

    @Test
    void shouldTellAPartitionNotHeldHereFromOneThatDoesNotExist() throws Exception {
        start(30_000);
        broker.createLedTopic("orders", Map.of());

        assertThat(broker.replicaManager().partition(ORDERS_0, true).topicPartition())
                .isEqualTo(ORDERS_0);
        assertThatThrownBy(() -> broker.replicaManager().partition(ORDERS_1, true))
                .isInstanceOf(NotLeaderOrFollowerException.class);
        assertThatThrownBy(() -> broker.replicaManager().partition(new TopicPartition("missing", 0), false))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void shouldDeleteTheLogWhenThePartitionIsReassignedAway() throws Exception {
        start(30_000);
        Partition partition = broker.createLedTopic("orders", Map.of());
        partition.appendAsLeader(batch("a"), (short) 1);
        File logDir = broker.log(ORDERS_0).orElseThrow().dir();
        UUID topicId = broker.cache().snapshot().topic("orders").orElseThrow().topicId();

        broker.writeTopic("orders", new TopicRecord(topicId, Map.of(0, List.of(2, 3)), Map.of()));

        await().atMost(TestBroker.AWAIT)
                .until(() -> broker.replicaManager().localPartition(ORDERS_0).isEmpty());
        await().atMost(TestBroker.AWAIT).until(() -> broker.log(ORDERS_0).isEmpty());
        assertThat(logDir).doesNotExist();
    }

    @Test
    void shouldDeleteTheLogWhenTheTopicIsDeleted() throws Exception {
        start(30_000);
        broker.createLedTopic("orders", Map.of());
        File logDir = broker.log(ORDERS_0).orElseThrow().dir();

        broker.deleteTopic("orders");

        await().atMost(TestBroker.AWAIT).until(() -> broker.log(ORDERS_0).isEmpty());
        assertThat(broker.replicaManager().localPartition(ORDERS_0)).isEmpty();
        assertThat(logDir).doesNotExist();
    }

    @Test
    void shouldStartAnEmptyLogWhenTheTopicIsRecreatedWithANewId() throws Exception {
        start(30_000);
        Partition first = broker.createLedTopic("orders", Map.of());
        first.appendAsLeader(batch("a", "b"), (short) 1);
        UUID newId = UUID.randomUUID();

        broker.writeTopic("orders", new TopicRecord(newId, Map.of(0, List.of(1)), Map.of()));

        Partition second = broker.awaitPartition(ORDERS_0, p -> p != first);
        assertThat(second.topicId().getMostSignificantBits()).isEqualTo(newId.getMostSignificantBits());
        assertThat(second.isLeader()).isTrue();
        assertThat(broker.log(ORDERS_0).map(PartitionLog::logEndOffset)).hasValue(0L);
    }

    @Test
    void shouldApplyTheTopicsMinInsyncReplicas() throws Exception {
        start(30_000);
        broker.createTopic("orders", Map.of(0, List.of(1, 2)), Map.of("min.insync.replicas", "2"));
        broker.writeState("orders", 0, new PartitionState(1, 0, List.of(1), 1));
        Partition partition = broker.awaitPartition(ORDERS_0, Partition::isLeader);

        assertThat(partition.minInsyncReplicas()).isEqualTo(2);
        assertThatThrownBy(() -> partition.appendAsLeader(batch("a"), (short) -1))
                .isInstanceOf(NotEnoughReplicasException.class);
    }

    @Test
    void shouldCountOfflineAndUnderReplicatedPartitions() throws Exception {
        start(30_000);
        broker.createTopic("orders", Map.of(0, List.of(1, 2), 1, List.of(1, 2)), Map.of());
        broker.writeState("orders", 0, new PartitionState(1, 0, List.of(1), 1));
        broker.writeState("orders", 1, new PartitionState(PartitionState.NO_LEADER, 1, List.of(2), 1));
        broker.awaitPartition(ORDERS_0, Partition::isLeader);
        broker.awaitPartition(ORDERS_1, p -> p.leaderEpoch() == 1);

        assertThat(broker.replicaManager().underReplicatedCount()).isEqualTo(1);
        assertThat(broker.replicaManager().offlineCount()).isEqualTo(1);
    }

    // ---- delayed produce ----

    @Test
    void shouldCompleteAWaitingProduceWhenTheFollowerCatchesUp() throws Exception {
        start(30_000);
        Partition partition = twoReplicaLeader();
        partition.appendAsLeader(batch("a", "b", "c"), (short) -1);
        AwaitHighWatermark produce = new AwaitHighWatermark(partition, 3);

        broker.replicaManager().watchProduce(produce, 30_000);
        assertThat(produce.isCompleted()).isFalse();

        partition.updateFollowerFetchState(2, 2);
        assertThat(produce.isCompleted()).isFalse();
        partition.updateFollowerFetchState(2, 3);

        assertThat(produce.isCompleted()).isTrue();
        assertThat(produce.outcome).isEqualTo("replicated");
    }

    @Test
    void shouldExpireAWaitingProduceAtItsTimeout() throws Exception {
        start(30_000);
        Partition partition = twoReplicaLeader();
        partition.appendAsLeader(batch("a"), (short) -1);
        AwaitHighWatermark produce = new AwaitHighWatermark(partition, 1);

        broker.replicaManager().watchProduce(produce, 200);

        await().atMost(Duration.ofSeconds(5)).until(produce::isCompleted);
        assertThat(produce.outcome).isEqualTo("timed out");
    }

    @Test
    void shouldCompleteAWaitingProduceWhenLeadershipMoves() throws Exception {
        start(30_000);
        Partition partition = twoReplicaLeader();
        partition.appendAsLeader(batch("a"), (short) -1);
        AwaitHighWatermark produce = new AwaitHighWatermark(partition, 1);
        broker.replicaManager().watchProduce(produce, 30_000);

        broker.writeState("orders", 0, new PartitionState(2, 1, List.of(2), 2));

        await().atMost(TestBroker.AWAIT).until(produce::isCompleted);
        assertThat(produce.outcome).isEqualTo("not leader");
    }

    // ---- ISR changes through ZooKeeper ----

    @Test
    void shouldWriteAnIsrShrinkToZooKeeperOnceAFollowerLagsTooLong() throws Exception {
        start(200);
        Partition partition = twoReplicaLeader();
        assertThat(broker.replicaManager().underReplicatedCount()).isZero();

        clock.advance(Duration.ofSeconds(1));

        await().atMost(TestBroker.AWAIT)
                .until(() -> broker.readState("orders", 0).isr().equals(List.of(1)));
        await().atMost(TestBroker.AWAIT).until(() -> partition.isr().equals(List.of(1)));
        assertThat(broker.readState("orders", 0)).isEqualTo(new PartitionState(1, 0, List.of(1), 1));
        assertThat(broker.replicaManager().underReplicatedCount()).isEqualTo(1);
    }

    @Test
    void shouldKeepAFollowerThatKeepsUpInTheIsr() throws Exception {
        start(200);
        Partition partition = twoReplicaLeader();

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(150));
            partition.updateFollowerFetchState(2, 0);
            Thread.sleep(150);
        }

        assertThat(broker.readState("orders", 0).isr()).containsExactly(1, 2);
        assertThat(partition.isr()).containsExactly(1, 2);
    }

    @Test
    void shouldWriteAnIsrExpansionToZooKeeperWhenARegisteredFollowerCatchesUp() throws Exception {
        start(30_000);
        broker.createTopic("orders", Map.of(0, List.of(1, 2)), Map.of());
        broker.writeState("orders", 0, new PartitionState(1, 0, List.of(1), 1));
        Partition partition = broker.awaitPartition(ORDERS_0, Partition::isLeader);
        partition.appendAsLeader(batch("a", "b"), (short) 1);

        // a follower fetching before it registered (a broker starting) stays out: the controller
        // would remove an unregistered broker from the ISR at once
        partition.updateFollowerFetchState(2, 2);
        Thread.sleep(200);
        assertThat(broker.readState("orders", 0).isr()).containsExactly(1);

        broker.registerBroker(2, 9999);
        // its next fetches, once the registration reached the replica manager, add it
        await().atMost(TestBroker.AWAIT).until(() -> {
            partition.updateFollowerFetchState(2, 2);
            return broker.readState("orders", 0).isr().equals(List.of(1, 2));
        });
        await().atMost(TestBroker.AWAIT).until(() -> partition.isr().equals(List.of(1, 2)));
    }

    @Test
    void shouldAdoptTheControllersStateWhenItsIsrWriteLosesTheRace() throws Exception {
        start(200);
        Partition partition = twoReplicaLeader();
        // the broker stops hearing of changes, so the controller's next write is one it has not
        // seen when its ISR shrink compares-and-sets against the version it last saw
        broker.cache().close();
        broker.writeState("orders", 0, new PartitionState(1, 1, List.of(1, 2), 2));

        clock.advance(Duration.ofSeconds(1));

        await().atMost(TestBroker.AWAIT).until(() -> partition.leaderEpoch() == 1);
        assertThat(partition.isr()).containsExactly(1, 2);
        assertThat(broker.readState("orders", 0)).isEqualTo(new PartitionState(1, 1, List.of(1, 2), 2));
    }

    // ---------------------------------------------------------------------------------------

    /** orders-0 on brokers 1 and 2, both in the ISR, led here in epoch 0. */
    private Partition twoReplicaLeader() throws Exception {
        broker.createTopic("orders", Map.of(0, List.of(1, 2)), Map.of());
        broker.writeState("orders", 0, new PartitionState(1, 0, List.of(1, 2), 1));
        return broker.awaitPartition(ORDERS_0, Partition::isLeader);
    }

    /** A produce waiting, as {@code acks=all} does, for the high watermark to pass its append. */
    private static final class AwaitHighWatermark extends DelayedOperation {
        private final Partition partition;
        private final long required;
        volatile String outcome;

        AwaitHighWatermark(Partition partition, long required) {
            super(List.of(partition.topicPartition()));
            this.partition = partition;
            this.required = required;
        }

        @Override
        public boolean tryComplete() {
            return (!partition.isLeader() || partition.highWatermark() >= required) && forceComplete();
        }

        @Override
        protected void onComplete() {
            outcome = !partition.isLeader()
                    ? "not leader"
                    : partition.highWatermark() >= required ? "replicated" : "timed out";
        }
    }
}
