package io.tributary.broker.partition;

import static io.tributary.broker.testing.TestRecords.batch;
import static io.tributary.broker.testing.TestRecords.batchEpochs;
import static io.tributary.broker.testing.TestRecords.idempotentBatch;
import static io.tributary.broker.testing.TestRecords.leaderBatch;
import static io.tributary.broker.testing.TestRecords.offsets;
import static io.tributary.broker.testing.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.testing.MutableClock;
import io.tributary.common.zk.PartitionState;
import io.tributary.storage.log.FetchDataInfo;
import io.tributary.storage.log.LogAppendInfo;
import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.PartitionLog;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OffsetNotAvailableException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One replica on broker 1 (of replicas 1, 2 and 3) over a real log: roles and epochs as the
 * controller sets them, the leader's high watermark and ISR decisions from its followers'
 * fetches on a clock the test moves, and the follower's truncation.
 */
class PartitionTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final List<Integer> REPLICAS = List.of(1, 2, 3);
    private static final long MAX_LAG_MS = 10_000;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final RecordingListener listener = new RecordingListener();
    private ScheduledExecutorService scheduler;
    private PartitionLog log;
    private Partition partition;

    @BeforeEach
    void open() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        log = PartitionLog.open(new File(dir.toFile(), "orders-0"), LogConfig.defaults(), scheduler, clock);
        partition = new Partition(TP, Uuid.randomUuid(), 1, log, clock, listener);
    }

    @AfterEach
    void close() {
        log.close();
        scheduler.shutdownNow();
    }

    // ---- roles and epochs ----

    @Test
    void shouldLeadTheNewEpochFromTheLogEndAndStampItOnAppends() {
        lead(0, List.of(1), 1);
        partition.appendAsLeader(batch("a", "b"), (short) 1);

        assertThat(lead(3, List.of(1), 1)).isTrue();
        partition.appendAsLeader(batch("c"), (short) 1);

        assertThat(partition.isLeader()).isTrue();
        assertThat(partition.leaderEpoch()).isEqualTo(3);
        assertThat(log.leaderEpochCache().endOffsetFor(0, log.logEndOffset()).endOffset())
                .isEqualTo(2);
        assertThat(log.leaderEpochCache().latestEpoch()).hasValue(3);
        assertThat(batchEpochs(
                        log.reader().read(0, 10_000, log.logEndOffset(), true).records()))
                .containsExactly(0, 3);
    }

    @Test
    void shouldRecordTheNewEpochBeforeItsFirstAppend() {
        lead(0, List.of(1), 1);
        partition.appendAsLeader(batch("a", "b"), (short) 1);

        lead(4, List.of(1), 1);

        assertThat(log.leaderEpochCache().latestEpoch()).hasValue(4);
        assertThat(log.leaderEpochCache().endOffsetFor(4, log.logEndOffset()).endOffset())
                .isEqualTo(2);
    }

    @Test
    void shouldIgnoreAStateOfAnOlderLeaderEpoch() {
        lead(5, List.of(1, 2), 1);

        boolean applied = partition.applyState(new PartitionState(2, 4, List.of(2), 0), 9, REPLICAS, 1);

        assertThat(applied).isFalse();
        assertThat(partition.isLeader()).isTrue();
        assertThat(partition.leaderEpoch()).isEqualTo(5);
        assertThat(partition.isr()).containsExactly(1, 2);
    }

    @Test
    void shouldIgnoreAnOlderStateVersionOfTheSameEpoch() {
        partition.applyState(new PartitionState(1, 2, List.of(1, 2), 0), 7, REPLICAS, 1);

        boolean applied = partition.applyState(new PartitionState(1, 2, List.of(1, 2, 3), 0), 6, REPLICAS, 1);

        assertThat(applied).isFalse();
        assertThat(partition.isr()).containsExactly(1, 2);
        assertThat(partition.stateVersion()).isEqualTo(7);
    }

    @Test
    void shouldRefuseProduceAndConsumerReadsAsAFollower() {
        lead(0, List.of(1, 2), 1);
        partition.applyState(new PartitionState(2, 1, List.of(1, 2), 0), 1, REPLICAS, 1);

        assertThat(partition.isLeader()).isFalse();
        assertThat(partition.leaderId()).isEqualTo(2);
        assertThatThrownBy(() -> partition.appendAsLeader(batch("a"), (short) 1))
                .isInstanceOf(NotLeaderOrFollowerException.class);
        assertThatThrownBy(() -> partition.read(0, 1000, false, true, Optional.empty()))
                .isInstanceOf(NotLeaderOrFollowerException.class);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void shouldFenceAClientWithAnOlderEpochAndRefuseOneWithANewer() {
        lead(5, List.of(1), 1);
        partition.appendAsLeader(batch("a"), (short) 1);

        assertThatThrownBy(() -> partition.read(0, 1000, false, true, Optional.of(4)))
                .isInstanceOf(FencedLeaderEpochException.class);
        assertThatThrownBy(() -> partition.read(0, 1000, false, true, Optional.of(6)))
                .isInstanceOf(UnknownLeaderEpochException.class);
        assertThatThrownBy(() -> partition.readableEnd(false, Optional.of(4)))
                .isInstanceOf(FencedLeaderEpochException.class);
        assertThat(values(partition.read(0, 1000, false, true, Optional.of(5)).records()))
                .containsExactly("a");
        assertThat(values(partition.read(0, 1000, false, true, Optional.empty()).records()))
                .containsExactly("a");
    }

    // ---- appends ----

    @Test
    void shouldRefuseAcksAllBeforeAppendingWhenTheIsrIsBelowMinInsyncReplicas() {
        lead(0, List.of(1), 2);

        assertThatThrownBy(() -> partition.appendAsLeader(batch("a"), (short) -1))
                .isInstanceOf(NotEnoughReplicasException.class);
        assertThat(log.logEndOffset()).isZero();

        LogAppendInfo info = partition.appendAsLeader(batch("a"), (short) 1);
        assertThat(info.firstOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldAcceptAcksAllWhenTheIsrMeetsMinInsyncReplicas() {
        lead(0, List.of(1, 2), 2);

        LogAppendInfo info = partition.appendAsLeader(batch("a", "b"), (short) -1);

        assertThat(info.firstOffset()).isZero();
        assertThat(info.lastOffset()).isEqualTo(1);
    }

    @Test
    void shouldTellTheListenerOfEachAppend() {
        lead(0, List.of(1), 1);

        partition.appendAsLeader(batch("a"), (short) 1);

        assertThat(listener.appends).containsExactly(TP);
    }

    @Test
    void shouldAcknowledgeARetriedIdempotentBatchWithItsOriginalOffsetsWithoutAppendingIt() {
        lead(0, List.of(1), 1);
        partition.appendAsLeader(batch("a"), (short) 1);
        LogAppendInfo first = partition.appendAsLeader(idempotentBatch(7, (short) 0, 0, "b", "c"), (short) 1);

        LogAppendInfo retry = partition.appendAsLeader(idempotentBatch(7, (short) 0, 0, "b", "c"), (short) 1);

        assertThat(first.firstOffset()).isEqualTo(1);
        assertThat(retry.firstOffset()).isEqualTo(1);
        assertThat(retry.lastOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    // ---- high watermark ----

    @Test
    void shouldAdvanceTheHighWatermarkOnlyToWhatEveryIsrMemberHas() {
        lead(0, List.of(1, 2, 3), 1);
        partition.appendAsLeader(batch("a", "b", "c", "d", "e"), (short) -1);
        assertThat(partition.highWatermark()).isZero();

        partition.updateFollowerFetchState(2, 5);
        assertThat(partition.highWatermark()).isZero();

        partition.updateFollowerFetchState(3, 3);
        assertThat(partition.highWatermark()).isEqualTo(3);

        partition.updateFollowerFetchState(3, 5);
        assertThat(partition.highWatermark()).isEqualTo(5);
        assertThat(listener.highWatermarkChanges).containsExactly(TP, TP);
    }

    @Test
    void shouldNotWaitForAFollowerOutsideTheIsr() {
        lead(0, List.of(1, 2), 1);
        partition.appendAsLeader(batch("a", "b", "c", "d"), (short) 1);

        partition.updateFollowerFetchState(2, 4);

        assertThat(partition.highWatermark()).isEqualTo(4);
    }

    @Test
    void shouldAdvanceTheHighWatermarkOnAppendWhenLeadingAlone() {
        lead(0, List.of(1), 1);

        partition.appendAsLeader(batch("a", "b"), (short) 1);

        assertThat(partition.highWatermark()).isEqualTo(2);
    }

    @Test
    void shouldServeConsumersBelowTheHighWatermarkAndFollowersUpToTheLogEnd() {
        lead(0, List.of(1, 2), 1);
        partition.appendAsLeader(batch("a", "b"), (short) 1);
        partition.appendAsLeader(batch("c", "d"), (short) 1);
        partition.updateFollowerFetchState(2, 2);

        FetchDataInfo consumer = partition.read(0, 10_000, false, true, Optional.empty());
        FetchDataInfo follower = partition.read(0, 10_000, true, true, Optional.empty());

        assertThat(offsets(consumer.records())).containsExactly(0L, 1L);
        assertThat(offsets(follower.records())).containsExactly(0L, 1L, 2L, 3L);
        assertThat(partition.readableEnd(false, Optional.empty()).messageOffset())
                .isEqualTo(2);
        assertThat(partition.readableEnd(true, Optional.empty()).messageOffset())
                .isEqualTo(4);
    }

    @Test
    void shouldAnswerOffsetNotAvailableForTheLatestOffsetUntilANewLeadersHighWatermarkReachesItsEpochStart() {
        lead(0, List.of(1, 2, 3), 1);
        partition.appendAsLeader(batch("a", "b", "c", "d", "e"), (short) 1);
        assertThat(latestOffset())
                .as("the epoch began at 0: the high watermark is current")
                .isZero();
        follow(1);

        lead(2, List.of(1, 2, 3), 1);

        // the high watermark (0) is the follower's; the epoch began at the log end (5)
        assertThatThrownBy(this::latestOffset).isInstanceOf(OffsetNotAvailableException.class);
        assertThat(partition.offsetForTimestamp(ListOffsetsRequest.EARLIEST_TIMESTAMP, false, Optional.empty()))
                .hasValueSatisfying(found -> assertThat(found.offset()).isZero());
        partition.updateFollowerFetchState(2, 5);
        partition.updateFollowerFetchState(3, 5);
        assertThat(latestOffset()).isEqualTo(5);
    }

    private long latestOffset() {
        return partition
                .offsetForTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP, false, Optional.empty())
                .orElseThrow()
                .offset();
    }

    // ---- ISR ----

    @Test
    void shouldProposeRemovingAFollowerThatHasNotCaughtUpWithinTheMaxLag() {
        lead(0, List.of(1, 2, 3), 1);
        partition.appendAsLeader(batch("a", "b"), (short) 1);
        clock.advance(Duration.ofSeconds(6));
        partition.updateFollowerFetchState(2, 2);
        clock.advance(Duration.ofSeconds(6));

        partition.maybeShrinkIsr(MAX_LAG_MS);

        assertThat(listener.proposals).singleElement().satisfies(proposal -> {
            assertThat(proposal.state()).isEqualTo(new PartitionState(1, 0, List.of(1, 2), 0));
            assertThat(proposal.expectedVersion()).isEqualTo(partition.stateVersion());
        });
        // not applied until it is written
        assertThat(partition.isr()).containsExactly(1, 2, 3);
    }

    @Test
    void shouldKeepFollowersThatCaughtUpWithinTheMaxLag() {
        lead(0, List.of(1, 2, 3), 1);
        partition.appendAsLeader(batch("a"), (short) 1);
        clock.advance(Duration.ofSeconds(9));

        partition.maybeShrinkIsr(MAX_LAG_MS);

        assertThat(listener.proposals).isEmpty();
    }

    @Test
    void shouldProposeOneIsrChangeAtATimeUntilTheWriteFails() {
        lead(0, List.of(1, 2, 3), 1);
        clock.advance(Duration.ofSeconds(11));
        partition.maybeShrinkIsr(MAX_LAG_MS);

        partition.maybeShrinkIsr(MAX_LAG_MS);
        assertThat(listener.proposals).hasSize(1);

        partition.isrChangeFailed();
        partition.maybeShrinkIsr(MAX_LAG_MS);
        assertThat(listener.proposals).hasSize(2);
        assertThat(listener.proposals.get(1).state().isr()).containsExactly(1);
    }

    @Test
    void shouldProposeAddingAFollowerOnceItHasCaughtUpToTheHighWatermark() {
        lead(0, List.of(1), 1);
        partition.appendAsLeader(batch("a", "b", "c"), (short) 1);

        partition.updateFollowerFetchState(2, 1);
        assertThat(listener.proposals).isEmpty();

        partition.updateFollowerFetchState(2, 3);
        assertThat(listener.proposals)
                .singleElement()
                .extracting(Proposal::state)
                .isEqualTo(new PartitionState(1, 0, List.of(1, 2), 0));
    }

    @Test
    void shouldNotProposeAddingACaughtUpFollowerTheControllerWouldRemove() {
        lead(0, List.of(1), 1);
        partition.appendAsLeader(batch("a", "b", "c"), (short) 1);
        listener.ineligible.add(2);

        partition.updateFollowerFetchState(2, 3);
        assertThat(listener.proposals).isEmpty();

        listener.ineligible.clear();
        partition.updateFollowerFetchState(2, 3);
        assertThat(listener.proposals)
                .singleElement()
                .extracting(p -> p.state().isr())
                .isEqualTo(List.of(1, 2));
    }

    @Test
    void shouldWaitForAFollowerOnceItIsAddedToTheIsr() {
        lead(0, List.of(1), 1);
        partition.appendAsLeader(batch("a", "b", "c"), (short) 1);
        partition.updateFollowerFetchState(2, 3);
        Proposal expansion = listener.proposals.get(0);

        partition.applyState(expansion.state(), expansion.expectedVersion() + 1, REPLICAS, 1);
        partition.appendAsLeader(batch("d"), (short) -1);

        assertThat(partition.isr()).containsExactly(1, 2);
        assertThat(partition.highWatermark()).isEqualTo(3);
        partition.updateFollowerFetchState(2, 4);
        assertThat(partition.highWatermark()).isEqualTo(4);
    }

    @Test
    void shouldNotShrinkOrExpandAsAFollower() {
        partition.applyState(new PartitionState(2, 0, List.of(1, 2, 3), 0), 0, REPLICAS, 1);
        clock.advance(Duration.ofMinutes(1));

        partition.maybeShrinkIsr(MAX_LAG_MS);
        partition.updateFollowerFetchState(3, 0);

        assertThat(listener.proposals).isEmpty();
    }

    // ---- follower ----

    @Test
    void shouldKeepTheLeadersOffsetsAndEpochsOnFollowerAppends() {
        follow(1);

        partition.followerWrites().append(leaderBatch(0, 0, "a", "b"));
        partition.followerWrites().append(leaderBatch(2, 1, "c"));

        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(batchEpochs(log.reader().read(0, 10_000, 3, true).records())).containsExactly(0, 1);
        assertThat(log.leaderEpochCache().latestEpoch()).hasValue(1);
    }

    @Test
    void shouldTruncateADivergentTailAndContinueFromThere() {
        follow(2);
        partition.followerWrites().append(leaderBatch(0, 0, "a", "b", "c"));
        partition.followerWrites().append(leaderBatch(3, 1, "d", "e"));

        partition.followerWrites().truncateTo(3);
        partition.followerWrites().append(leaderBatch(3, 2, "x"));

        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(values(log.reader().read(0, 10_000, 4, true).records())).containsExactly("a", "b", "c", "x");
        assertThat(log.leaderEpochCache().endOffsetFor(0, log.logEndOffset()).endOffset())
                .isEqualTo(3);
        assertThat(log.leaderEpochCache().latestEpoch()).hasValue(2);
    }

    @Test
    void shouldForgetTheProducerStateOfTruncatedBatches() {
        lead(0, List.of(1), 1);
        partition.appendAsLeader(batch("a"), (short) 1);
        partition.appendAsLeader(idempotentBatch(7, (short) 0, 0, "b"), (short) 1);
        follow(1);

        partition.followerWrites().truncateTo(1);
        lead(2, List.of(1), 1);
        LogAppendInfo resent = partition.appendAsLeader(idempotentBatch(7, (short) 0, 0, "b"), (short) 1);

        // appended again rather than acknowledged as a duplicate of a batch that is gone
        assertThat(resent.firstOffset()).isEqualTo(1);
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(values(log.reader().read(0, 10_000, 2, true).records())).containsExactly("a", "b");
    }

    @Test
    void shouldStartOverAtTheLeadersLogStartWhenTruncatedFully() {
        follow(1);
        partition.followerWrites().append(leaderBatch(0, 0, "a", "b"));

        partition.followerWrites().truncateFullyAndStartAt(10);
        partition.followerWrites().append(leaderBatch(10, 1, "k"));

        assertThat(log.logStartOffset()).isEqualTo(10);
        assertThat(log.logEndOffset()).isEqualTo(11);
    }

    @Test
    void shouldTakeTheLeadersHighWatermarkBoundedByItsOwnLogEnd() {
        follow(1);
        partition.followerWrites().append(leaderBatch(0, 0, "a", "b", "c"));

        partition.followerWrites().updateHighWatermark(10);
        assertThat(partition.highWatermark()).isEqualTo(3);

        partition.followerWrites().updateHighWatermark(1);
        assertThat(partition.highWatermark()).isEqualTo(3);
    }

    // ---------------------------------------------------------------------------------------

    private boolean lead(int epoch, List<Integer> isr, int minInsyncReplicas) {
        return partition.applyState(new PartitionState(1, epoch, isr, 0), epoch, REPLICAS, minInsyncReplicas);
    }

    private void follow(int epoch) {
        partition.applyState(new PartitionState(2, epoch, REPLICAS, 0), epoch, REPLICAS, 1);
    }

    private record Proposal(PartitionState state, int expectedVersion) {}

    private static final class RecordingListener implements PartitionListener {
        final List<TopicPartition> appends = new CopyOnWriteArrayList<>();
        final List<TopicPartition> highWatermarkChanges = new CopyOnWriteArrayList<>();
        final List<Proposal> proposals = new CopyOnWriteArrayList<>();
        /** Brokers that are not registered or whose replica is offline. */
        final List<Integer> ineligible = new CopyOnWriteArrayList<>();

        @Override
        public boolean mayJoinIsr(TopicPartition topicPartition, int replicaId) {
            return !ineligible.contains(replicaId);
        }

        @Override
        public void onAppend(TopicPartition topicPartition) {
            appends.add(topicPartition);
        }

        @Override
        public void onHighWatermarkChanged(TopicPartition topicPartition) {
            highWatermarkChanges.add(topicPartition);
        }

        @Override
        public void onIsrChangeProposed(Partition partition, PartitionState proposed, int expectedVersion) {
            proposals.add(new Proposal(proposed, expectedVersion));
        }
    }
}
