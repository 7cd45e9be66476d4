package io.tributary.broker.server.handler;

import static io.tributary.broker.server.handler.BrokerHandlers.decoded;
import static io.tributary.broker.server.handler.BrokerHandlers.response;
import static io.tributary.broker.testing.TestRecords.batch;
import static io.tributary.broker.testing.TestRecords.offsets;
import static io.tributary.broker.testing.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.partition.Partition;
import io.tributary.broker.testing.TestBroker;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.common.zk.PartitionState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetch requests built with kafka-clients' builders (topic ids at the latest version, names at
 * v12), handled by broker 1's real replica manager over a real log directory; topics written to a
 * real ZooKeeper as the controller would. Broker 2 appears in assignments only: the test fetches
 * as it would.
 */
class FetchHandlerTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final short LATEST = ApiKeys.FETCH.latestVersion(false);
    private static final short BY_NAME = 12;
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final int PARTITION_MAX_BYTES = 1024 * 1024;

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    @TempDir
    Path dir;

    private TestBroker broker;
    private FetchHandler handler;

    @BeforeEach
    void startBroker() {
        broker = new TestBroker(1, ZOOKEEPER.connectString(), "fetch-test-" + NAMESPACES.incrementAndGet(), dir);
        handler = new FetchHandler(
                broker.cache(), broker.replicaManager(), broker.requestHandlers(), BrokerHandlers.sessions());
    }

    @AfterEach
    void stopBroker() throws Exception {
        broker.close();
    }

    // ---- consumers ----

    @Test
    void shouldReturnTheRecordsFromTheFetchOffsetWithTheHighWatermark() throws Exception {
        Partition partition = broker.createLedTopic("orders", Map.of());
        partition.appendAsLeader(batch("a", "b"), (short) 1);
        partition.appendAsLeader(batch("c"), (short) 1);

        PartitionData answer = single(fetch(consumer(Map.of(ORDERS_0, at(0))), LATEST));

        assertThat(answer.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(values(FetchResponse.recordsOrFail(answer))).containsExactly("a", "b", "c");
        assertThat(answer.highWatermark()).isEqualTo(3);
        assertThat(answer.lastStableOffset()).isEqualTo(3);
        assertThat(answer.logStartOffset()).isZero();
    }

    @Test
    void shouldServeConsumersOnlyBelowTheHighWatermark() throws Exception {
        Partition partition = twoReplicaLeader();
        partition.appendAsLeader(batch("a", "b"), (short) 1);
        partition.appendAsLeader(batch("c"), (short) 1);
        partition.updateFollowerFetchState(2, 2);

        PartitionData answer = single(fetch(consumer(Map.of(ORDERS_0, at(0))), LATEST));

        assertThat(offsets(FetchResponse.recordsOrFail(answer))).containsExactly(0L, 1L);
        assertThat(answer.highWatermark()).isEqualTo(2);
    }

    @Test
    void shouldStopReadCommittedAndReadUncommittedAtTheHighWatermarkWhichIsTheLastStableOffset() throws Exception {
        Partition partition = twoReplicaLeader();
        partition.appendAsLeader(batch("a"), (short) 1);
        partition.appendAsLeader(batch("b"), (short) 1);
        partition.updateFollowerFetchState(2, 1);

        for (IsolationLevel isolation : IsolationLevel.values()) {
            FetchRequest.Builder request = consumer(Map.of(ORDERS_0, at(0))).isolationLevel(isolation);
            PartitionData answer = single(fetch(request, LATEST));

            assertThat(values(FetchResponse.recordsOrFail(answer)))
                    .as(isolation.toString())
                    .containsExactly("a");
            assertThat(answer.lastStableOffset()).as(isolation.toString()).isEqualTo(1);
        }
    }

    @Test
    void shouldAnswerOffsetOutOfRangeBeyondTheLogEnd() throws Exception {
        Partition partition = broker.createLedTopic("orders", Map.of());
        partition.appendAsLeader(batch("a", "b", "c"), (short) 1);

        PartitionData answer = single(fetch(consumer(Map.of(ORDERS_0, at(10))), LATEST));

        assertThat(answer.errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
    }

    @Test
    void shouldAnswerEachPartitionsErrorAloneAndServeTheRest() throws Exception {
        broker.createTopic("orders", Map.of(0, List.of(1), 1, List.of(2)), Map.of());
        broker.writeState("orders", 0, new PartitionState(1, 0, List.of(1), 1));
        broker.writeState("orders", 1, new PartitionState(2, 3, List.of(2), 1));
        Partition partition = broker.awaitPartition(ORDERS_0, Partition::isLeader);
        partition.appendAsLeader(batch("a"), (short) 1);
        Map<TopicPartition, FetchRequest.PartitionData> partitions = new LinkedHashMap<>();
        partitions.put(ORDERS_0, at(0));
        partitions.put(ORDERS_1, at(0));
        partitions.put(new TopicPartition("orders", 7), at(0));
        partitions.put(new TopicPartition("missing", 0), at(0));

        FetchResponse response = fetch(consumer(partitions), BY_NAME);

        Map<String, PartitionData> answers = new LinkedHashMap<>();
        response.data()
                .responses()
                .forEach(topic ->
                        topic.partitions().forEach(p -> answers.put(topic.topic() + "-" + p.partitionIndex(), p)));
        assertThat(answers.get("orders-0").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(values(FetchResponse.recordsOrFail(answers.get("orders-0")))).containsExactly("a");
        assertThat(answers.get("orders-1").errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(answers.get("orders-1").currentLeader().leaderId()).isEqualTo(2);
        assertThat(answers.get("orders-1").currentLeader().leaderEpoch()).isEqualTo(3);
        assertThat(answers.get("orders-7").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(answers.get("missing-0").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void shouldAnswerUnknownTopicIdForAnIdItDoesNotKnow() throws Exception {
        broker.createLedTopic("orders", Map.of());
        Map<TopicPartition, FetchRequest.PartitionData> partitions = Map.of(
                new TopicPartition("gone", 0),
                new FetchRequest.PartitionData(Uuid.randomUuid(), 0, -1, PARTITION_MAX_BYTES, Optional.empty()));

        PartitionData answer = single(fetch(consumer(partitions), LATEST));

        assertThat(answer.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }

    @Test
    void shouldFenceAFetchWithAnOlderLeaderEpoch() throws Exception {
        broker.createTopic("orders", Map.of(0, List.of(1)), Map.of());
        broker.writeState("orders", 0, new PartitionState(1, 5, List.of(1), 1));
        broker.awaitPartition(ORDERS_0, Partition::isLeader);

        PartitionData stale = single(fetch(consumer(Map.of(ORDERS_0, at(0, 4))), LATEST));
        PartitionData current = single(fetch(consumer(Map.of(ORDERS_0, at(0, 5))), LATEST));

        assertThat(stale.errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
        assertThat(stale.currentLeader().leaderEpoch()).isEqualTo(5);
        assertThat(current.errorCode()).isEqualTo(Errors.NONE.code());
    }

    // ---- size limits ----

    @Test
    void shouldStopAPartitionAtItsMaxBytesButReturnAtLeastOneBatch() throws Exception {
        Partition partition = broker.createLedTopic("orders", Map.of());
        partition.appendAsLeader(batch("a"), (short) 1);
        partition.appendAsLeader(batch("b"), (short) 1);
        partition.appendAsLeader(batch("c"), (short) 1);

        PartitionData tiny = single(fetch(consumer(Map.of(ORDERS_0, at(0, -1, 1))), LATEST));
        int oneBatch = FetchResponse.recordsOrFail(tiny).sizeInBytes();
        PartitionData two = single(fetch(consumer(Map.of(ORDERS_0, at(0, -1, 2 * oneBatch))), LATEST));

        assertThat(values(FetchResponse.recordsOrFail(tiny))).containsExactly("a");
        assertThat(values(FetchResponse.recordsOrFail(two))).containsExactly("a", "b");
    }

    @Test
    void shouldShareTheRequestsMaxBytesAcrossPartitionsInOrder() throws Exception {
        broker.createTopic("orders", Map.of(0, List.of(1), 1, List.of(1)), Map.of());
        broker.writeState("orders", 0, new PartitionState(1, 0, List.of(1), 1));
        broker.writeState("orders", 1, new PartitionState(1, 0, List.of(1), 1));
        Partition first = broker.awaitPartition(ORDERS_0, Partition::isLeader);
        Partition second = broker.awaitPartition(ORDERS_1, Partition::isLeader);
        first.appendAsLeader(batch("a"), (short) 1);
        first.appendAsLeader(batch("b"), (short) 1);
        second.appendAsLeader(batch("x"), (short) 1);
        Map<TopicPartition, FetchRequest.PartitionData> partitions = new LinkedHashMap<>();
        partitions.put(ORDERS_0, at(0));
        partitions.put(ORDERS_1, at(0));

        FetchResponse response = fetch(consumer(partitions).setMaxBytes(10), LATEST);

        List<PartitionData> answers = response.data().responses().get(0).partitions();
        assertThat(values(FetchResponse.recordsOrFail(answers.get(0)))).containsExactly("a");
        assertThat(FetchResponse.recordsOrFail(answers.get(1)).sizeInBytes()).isZero();
        assertThat(answers.get(1).highWatermark()).isEqualTo(1);
    }

    // ---- long poll ----

    @Test
    void shouldAnswerAParkedFetchWhenRecordsAreAppended() throws Exception {
        Partition partition = broker.createLedTopic("orders", Map.of());
        partition.appendAsLeader(batch("a"), (short) 1);
        CompletableFuture<HandlerResult> outcome = handler.handle(
                decoded(consumer(30_000, 1, Map.of(ORDERS_0, at(1))).build(LATEST)));
        Thread.sleep(100);
        assertThat(outcome).isNotDone();

        partition.appendAsLeader(batch("b", "c"), (short) 1);

        PartitionData answer = single(response(outcome, FetchResponse.class));
        assertThat(values(FetchResponse.recordsOrFail(answer))).containsExactly("b", "c");
        assertThat(answer.highWatermark()).isEqualTo(3);
    }

    @Test
    void shouldAnswerAParkedFetchEmptyAtMaxWait() throws Exception {
        broker.createLedTopic("orders", Map.of());
        long start = System.nanoTime();

        PartitionData answer = single(fetch(consumer(300, 1, Map.of(ORDERS_0, at(0))), LATEST));

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(290);
        assertThat(answer.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(FetchResponse.recordsOrFail(answer).sizeInBytes()).isZero();
    }

    @Test
    void shouldKeepAConsumerFetchParkedUntilTheRecordsAreCommitted() throws Exception {
        Partition partition = twoReplicaLeader();
        CompletableFuture<HandlerResult> outcome = handler.handle(
                decoded(consumer(30_000, 1, Map.of(ORDERS_0, at(0))).build(LATEST)));

        partition.appendAsLeader(batch("a"), (short) 1);
        Thread.sleep(100);
        assertThat(outcome).isNotDone();

        partition.updateFollowerFetchState(2, 1);

        assertThat(values(FetchResponse.recordsOrFail(single(response(outcome, FetchResponse.class)))))
                .containsExactly("a");
    }

    @Test
    void shouldAnswerAParkedFetchWithNotLeaderWhenLeadershipMoves() throws Exception {
        twoReplicaLeader();
        CompletableFuture<HandlerResult> outcome = handler.handle(
                decoded(consumer(30_000, 1, Map.of(ORDERS_0, at(0))).build(LATEST)));

        broker.writeState("orders", 0, new PartitionState(2, 1, List.of(2), 2));

        PartitionData answer = single(response(outcome, FetchResponse.class));
        assertThat(answer.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
    }

    @Test
    void shouldNameTheNewLeaderWhenAParkedFetchIsAnsweredBecauseLeadershipMoved() throws Exception {
        twoReplicaLeader();
        CompletableFuture<HandlerResult> outcome = handler.handle(
                decoded(consumer(30_000, 1, Map.of(ORDERS_0, at(0))).build(LATEST)));

        broker.writeState("orders", 0, new PartitionState(2, 1, List.of(2), 2));

        PartitionData answer = single(response(outcome, FetchResponse.class));
        assertThat(answer.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        // the hint comes from the metadata as it is now, not as it was when the fetch arrived
        assertThat(answer.currentLeader().leaderId()).isEqualTo(2);
        assertThat(answer.currentLeader().leaderEpoch()).isEqualTo(1);
    }

    // ---- fetch sessions (KIP-227) ----

    @Test
    void shouldOpenASessionOnAFullFetchAndAnswerIncrementalFetchesWithTheChangedPartitionsOnly() throws Exception {
        Partition first = twoLedPartitions();
        first.appendAsLeader(batch("a"), (short) 1);
        Map<TopicPartition, FetchRequest.PartitionData> both = new LinkedHashMap<>();
        both.put(ORDERS_0, at(0));
        both.put(ORDERS_1, at(0));

        FetchResponse full = fetch(consumer(both).metadata(FetchMetadata.INITIAL), LATEST);
        int sessionId = full.data().sessionId();
        assertThat(sessionId).isNotZero();
        assertThat(full.data().responses().get(0).partitions()).hasSize(2);

        // nothing new anywhere: the session's partitions are read, none is answered
        FetchResponse quiet =
                fetch(consumer(Map.of(ORDERS_0, at(1))).metadata(new FetchMetadata(sessionId, 1)), LATEST);
        assertThat(quiet.error()).isEqualTo(Errors.NONE);
        assertThat(quiet.data().sessionId()).isEqualTo(sessionId);
        assertThat(quiet.data().responses()).isEmpty();

        // orders-1 is not in the request, yet read from the session at its cached offset 0
        partitionOf(ORDERS_1).appendAsLeader(batch("x"), (short) 1);
        FetchResponse changed = fetch(consumer(Map.of()).metadata(new FetchMetadata(sessionId, 2)), LATEST);
        PartitionData answer = single(changed);
        assertThat(answer.partitionIndex()).isEqualTo(1);
        assertThat(values(FetchResponse.recordsOrFail(answer))).containsExactly("x");
        assertThat(answer.highWatermark()).isEqualTo(1);
    }

    @Test
    void shouldStopReadingAForgottenPartition() throws Exception {
        twoLedPartitions();
        Map<TopicPartition, FetchRequest.PartitionData> both = new LinkedHashMap<>();
        both.put(ORDERS_0, at(0));
        both.put(ORDERS_1, at(0));
        int sessionId = fetch(consumer(both).metadata(FetchMetadata.INITIAL), LATEST)
                .data()
                .sessionId();
        Uuid topicId = at(0).topicId;

        FetchResponse forget = fetch(
                consumer(Map.of())
                        .metadata(new FetchMetadata(sessionId, 1))
                        .removed(List.of(new TopicIdPartition(topicId, ORDERS_1))),
                LATEST);
        partitionOf(ORDERS_0).appendAsLeader(batch("a"), (short) 1);
        partitionOf(ORDERS_1).appendAsLeader(batch("x"), (short) 1);
        FetchResponse next = fetch(consumer(Map.of()).metadata(new FetchMetadata(sessionId, 2)), LATEST);

        assertThat(forget.data().responses()).isEmpty();
        assertThat(single(next).partitionIndex()).isZero();
        assertThat(values(FetchResponse.recordsOrFail(single(next)))).containsExactly("a");
    }

    @Test
    void shouldAnswerFetchSessionIdNotFoundForASessionItDoesNotHave() throws Exception {
        broker.createLedTopic("orders", Map.of());

        FetchResponse response = fetch(consumer(Map.of(ORDERS_0, at(0))).metadata(new FetchMetadata(12345, 1)), LATEST);

        assertThat(response.error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        assertThat(response.data().sessionId()).isZero();
        assertThat(response.data().responses()).isEmpty();
    }

    @Test
    void shouldAnswerInvalidFetchSessionEpochForAnEpochOtherThanTheNext() throws Exception {
        broker.createLedTopic("orders", Map.of());
        int sessionId = fetch(consumer(Map.of(ORDERS_0, at(0))).metadata(FetchMetadata.INITIAL), LATEST)
                .data()
                .sessionId();

        FetchResponse skipped = fetch(consumer(Map.of()).metadata(new FetchMetadata(sessionId, 2)), LATEST);
        FetchResponse expected = fetch(consumer(Map.of()).metadata(new FetchMetadata(sessionId, 1)), LATEST);
        FetchResponse replayed = fetch(consumer(Map.of()).metadata(new FetchMetadata(sessionId, 1)), LATEST);

        assertThat(skipped.error()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        assertThat(expected.error()).isEqualTo(Errors.NONE);
        assertThat(replayed.error()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
    }

    @Test
    void shouldCloseTheSessionAFinalFetchNames() throws Exception {
        broker.createLedTopic("orders", Map.of());
        int sessionId = fetch(consumer(Map.of(ORDERS_0, at(0))).metadata(FetchMetadata.INITIAL), LATEST)
                .data()
                .sessionId();

        FetchResponse last = fetch(
                consumer(Map.of(ORDERS_0, at(0))).metadata(new FetchMetadata(sessionId, FetchMetadata.FINAL_EPOCH)),
                LATEST);
        FetchResponse after = fetch(consumer(Map.of()).metadata(new FetchMetadata(sessionId, 1)), LATEST);

        assertThat(last.data().sessionId()).isZero();
        assertThat(single(last).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(after.error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
    }

    @Test
    void shouldAnswerAParkedIncrementalFetchWithThePartitionThatGotRecords() throws Exception {
        twoLedPartitions();
        Map<TopicPartition, FetchRequest.PartitionData> both = new LinkedHashMap<>();
        both.put(ORDERS_0, at(0));
        both.put(ORDERS_1, at(0));
        int sessionId = fetch(consumer(both).metadata(FetchMetadata.INITIAL), LATEST)
                .data()
                .sessionId();
        CompletableFuture<HandlerResult> outcome = handler.handle(decoded(consumer(30_000, 1, Map.of())
                .metadata(new FetchMetadata(sessionId, 1))
                .build(LATEST)));
        Thread.sleep(100);
        assertThat(outcome).isNotDone();

        partitionOf(ORDERS_1).appendAsLeader(batch("x"), (short) 1);

        PartitionData answer = single(response(outcome, FetchResponse.class));
        assertThat(answer.partitionIndex()).isEqualTo(1);
        assertThat(values(FetchResponse.recordsOrFail(answer))).containsExactly("x");
    }

    // ---- followers ----

    @Test
    void shouldServeAFollowerUpToTheLogEndAndRecordItsProgress() throws Exception {
        Partition partition = twoReplicaLeader();
        partition.appendAsLeader(batch("a", "b"), (short) 1);
        partition.appendAsLeader(batch("c"), (short) 1);

        PartitionData first = single(fetch(follower(2, 0, Map.of(ORDERS_0, at(0))), LATEST));
        assertThat(values(FetchResponse.recordsOrFail(first))).containsExactly("a", "b", "c");
        assertThat(first.highWatermark()).isZero();

        PartitionData second = single(fetch(follower(2, 0, Map.of(ORDERS_0, at(3))), LATEST));
        assertThat(second.highWatermark()).isEqualTo(3);
        assertThat(partition.highWatermark()).isEqualTo(3);
    }

    @Test
    void shouldAnswerAParkedFollowerFetchOnAppend() throws Exception {
        Partition partition = twoReplicaLeader();
        CompletableFuture<HandlerResult> outcome = handler.handle(
                decoded(follower(2, 30_000, Map.of(ORDERS_0, at(0))).build(LATEST)));
        Thread.sleep(100);
        assertThat(outcome).isNotDone();

        partition.appendAsLeader(batch("a"), (short) 1);

        assertThat(values(FetchResponse.recordsOrFail(single(response(outcome, FetchResponse.class)))))
                .containsExactly("a");
    }

    // ---------------------------------------------------------------------------------------

    /** orders-0 on brokers 1 and 2, both in the ISR, led here in epoch 0. */
    private Partition twoReplicaLeader() throws Exception {
        broker.createTopic("orders", Map.of(0, List.of(1, 2)), Map.of());
        broker.writeState("orders", 0, new PartitionState(1, 0, List.of(1, 2), 1));
        return broker.awaitPartition(ORDERS_0, Partition::isLeader);
    }

    /** orders-0 and orders-1, led here; returns orders-0. */
    private Partition twoLedPartitions() throws Exception {
        broker.createTopic("orders", Map.of(0, List.of(1), 1, List.of(1)), Map.of());
        broker.writeState("orders", 0, new PartitionState(1, 0, List.of(1), 1));
        broker.writeState("orders", 1, new PartitionState(1, 0, List.of(1), 1));
        broker.awaitPartition(ORDERS_1, Partition::isLeader);
        return broker.awaitPartition(ORDERS_0, Partition::isLeader);
    }

    private Partition partitionOf(TopicPartition tp) {
        return broker.replicaManager().localPartition(tp).orElseThrow();
    }

    private FetchResponse fetch(FetchRequest.Builder request, short version) throws Exception {
        return response(handler.handle(decoded(request.build(version))), FetchResponse.class);
    }

    /** A consumer fetch that answers at once. */
    private static FetchRequest.Builder consumer(Map<TopicPartition, FetchRequest.PartitionData> partitions) {
        return consumer(0, 1, partitions);
    }

    private static FetchRequest.Builder consumer(
            int maxWaitMs, int minBytes, Map<TopicPartition, FetchRequest.PartitionData> partitions) {
        return FetchRequest.Builder.forConsumer(LATEST, maxWaitMs, minBytes, new LinkedHashMap<>(partitions));
    }

    private static FetchRequest.Builder follower(
            int replicaId, int maxWaitMs, Map<TopicPartition, FetchRequest.PartitionData> partitions) {
        return FetchRequest.Builder.forReplica(LATEST, replicaId, -1, maxWaitMs, 1, new LinkedHashMap<>(partitions));
    }

    private FetchRequest.PartitionData at(long offset) {
        return at(offset, -1, PARTITION_MAX_BYTES);
    }

    private FetchRequest.PartitionData at(long offset, int currentLeaderEpoch) {
        return at(offset, currentLeaderEpoch, PARTITION_MAX_BYTES);
    }

    private FetchRequest.PartitionData at(long offset, int currentLeaderEpoch, int maxBytes) {
        UUID topicId = broker.cache().snapshot().topic("orders").orElseThrow().topicId();
        return new FetchRequest.PartitionData(
                BrokerHandlers.kafkaTopicId(topicId),
                offset,
                -1,
                maxBytes,
                currentLeaderEpoch < 0 ? Optional.empty() : Optional.of(currentLeaderEpoch));
    }

    private static PartitionData single(FetchResponse response) {
        assertThat(response.data().responses()).hasSize(1);
        assertThat(response.data().responses().get(0).partitions()).hasSize(1);
        return response.data().responses().get(0).partitions().get(0);
    }
}
