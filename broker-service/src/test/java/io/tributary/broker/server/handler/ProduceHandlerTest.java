package io.tributary.broker.server.handler;

import static io.tributary.broker.server.handler.BrokerHandlers.decoded;
import static io.tributary.broker.server.handler.BrokerHandlers.response;
import static io.tributary.broker.testing.TestRecords.batch;
import static io.tributary.broker.testing.TestRecords.batchOfSize;
import static io.tributary.broker.testing.TestRecords.corrupted;
import static io.tributary.broker.testing.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.partition.Partition;
import io.tributary.broker.testing.TestBroker;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.common.zk.PartitionState;
import io.tributary.storage.log.PartitionLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Produce requests built with kafka-clients' message classes, handled by broker 1's real
 * replica manager over a real log directory; the topics are written to a real ZooKeeper as the
 * controller would. Broker 2 appears in assignments only: the test moves its fetch position.
 */
class ProduceHandlerTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    /** The last version that names topics rather than sending their ids. */
    private static final short BY_NAME = 12;

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    @TempDir
    Path dir;

    private TestBroker broker;
    private ProduceHandler handler;

    @BeforeEach
    void startBroker() {
        broker = new TestBroker(1, ZOOKEEPER.connectString(), "produce-test-" + NAMESPACES.incrementAndGet(), dir);
        handler = new ProduceHandler(broker.cache(), broker.replicaManager(), broker.requestHandlers());
    }

    @AfterEach
    void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void shouldAppendAndAnswerTheBaseOffsetWithAcksOne() throws Exception {
        broker.createLedTopic("orders", Map.of());

        PartitionProduceResponse first = single(produce((short) 1, 30_000, "orders", 0, batch("a", "b")));
        PartitionProduceResponse second = single(produce((short) 1, 30_000, "orders", 0, batch("c")));

        assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(first.baseOffset()).isZero();
        assertThat(first.logStartOffset()).isZero();
        assertThat(second.baseOffset()).isEqualTo(2);
        PartitionLog log = broker.log(ORDERS_0).orElseThrow();
        assertThat(values(log.reader().read(0, 10_000, log.logEndOffset(), true).records()))
                .containsExactly("a", "b", "c");
    }

    @Test
    void shouldNameTheKeylessRecordsInRecordErrorsFromVersionEight() throws Exception {
        broker.createLedTopic("orders", Map.of("cleanup.policy", "compact"));
        MemoryRecords mixed = MemoryRecords.withRecords(
                Compression.NONE,
                new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), "a".getBytes(StandardCharsets.UTF_8)),
                new SimpleRecord(null, "b".getBytes(StandardCharsets.UTF_8)));

        PartitionProduceResponse answer = single(handle(request((short) 1, 30_000, "orders", 0, mixed), BY_NAME));

        assertThat(answer.errorCode()).isEqualTo(Errors.INVALID_RECORD.code());
        assertThat(answer.errorMessage()).contains("Compacted topic cannot accept message without key");
        assertThat(answer.recordErrors())
                .extracting(r -> r.batchIndex(), r -> r.batchIndexErrorMessage())
                .containsExactly(
                        tuple(1, "Compacted topic cannot accept message without key in topic partition orders-0."));
        assertThat(broker.log(ORDERS_0).orElseThrow().logEndOffset()).isZero();

        mixed.buffer().rewind();
        PartitionProduceResponse old = single(handle(request((short) 1, 30_000, "orders", 0, mixed), (short) 7));
        assertThat(old.errorCode()).isEqualTo(Errors.INVALID_RECORD.code());
        assertThat(old.recordErrors()).as("not in Produce v7").isEmpty();
    }

    @Test
    void shouldResolveTopicsByIdFromVersionThirteen() throws Exception {
        broker.createLedTopic("orders", Map.of());
        UUID topicId = broker.cache().snapshot().topic("orders").orElseThrow().topicId();
        ProduceRequestData data = request(
                (short) 1,
                30_000,
                new TopicProduceData().setTopicId(BrokerHandlers.kafkaTopicId(topicId)),
                0,
                batch("a"));
        data.topicData()
                .add(new TopicProduceData()
                        .setTopicId(Uuid.randomUuid())
                        .setPartitionData(
                                List.of(new PartitionProduceData().setIndex(0).setRecords(batch("b")))));

        ProduceResponse response = handle(data, ApiKeys.PRODUCE.latestVersion(false));

        List<TopicProduceResponse> topics = List.copyOf(response.data().responses());
        assertThat(topics.get(0).partitionResponses().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(topics.get(1).partitionResponses().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        assertThat(broker.log(ORDERS_0).orElseThrow().logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionForThatPartitionAloneAndAppendTheRest() throws Exception {
        broker.createLedTopic("orders", Map.of());
        ProduceRequestData data = request((short) 1, 30_000, new TopicProduceData().setName("orders"), 0, batch("a"));
        data.topicData()
                .find("orders", Uuid.ZERO_UUID)
                .partitionData()
                .add(new PartitionProduceData().setIndex(5).setRecords(batch("b")));
        data.topicData()
                .add(new TopicProduceData()
                        .setName("missing")
                        .setPartitionData(
                                List.of(new PartitionProduceData().setIndex(0).setRecords(batch("c")))));

        ProduceResponse response = handle(data, BY_NAME);

        TopicProduceResponse orders = topic(response, "orders");
        assertThat(orders.partitionResponses())
                .extracting(PartitionProduceResponse::index, PartitionProduceResponse::errorCode)
                .containsExactly(tuple(0, Errors.NONE.code()), tuple(5, Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        assertThat(topic(response, "missing").partitionResponses().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(broker.log(ORDERS_0).orElseThrow().logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldAnswerNotLeaderWithTheCurrentLeaderWhenAnotherBrokerLeads() throws Exception {
        broker.createTopic("orders", Map.of(0, List.of(1, 2)), Map.of());
        broker.writeState("orders", 0, new PartitionState(2, 4, List.of(1, 2), 1));
        broker.awaitPartition(ORDERS_0, p -> p.leaderId() == 2);

        PartitionProduceResponse answer = single(produce((short) 1, 30_000, "orders", 0, batch("a")));

        assertThat(answer.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(answer.baseOffset()).isEqualTo(-1);
        assertThat(answer.currentLeader().leaderId()).isEqualTo(2);
        assertThat(answer.currentLeader().leaderEpoch()).isEqualTo(4);
        assertThat(broker.log(ORDERS_0).orElseThrow().logEndOffset()).isZero();
    }

    @Test
    void shouldRefuseABatchLargerThanMaxMessageBytes() throws Exception {
        broker.createLedTopic("orders", Map.of("max.message.bytes", "200"));

        PartitionProduceResponse answer = single(produce((short) 1, 30_000, "orders", 0, batchOfSize(1, 500)));

        assertThat(answer.errorCode()).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
        assertThat(broker.log(ORDERS_0).orElseThrow().logEndOffset()).isZero();
    }

    @Test
    void shouldRefuseABatchWhoseChecksumDoesNotMatch() throws Exception {
        broker.createLedTopic("orders", Map.of());

        PartitionProduceResponse answer = single(produce((short) 1, 30_000, "orders", 0, corrupted(batch("a", "b"))));

        assertThat(answer.errorCode()).isEqualTo(Errors.CORRUPT_MESSAGE.code());
        assertThat(broker.log(ORDERS_0).orElseThrow().logEndOffset()).isZero();
    }

    @Test
    void shouldRefuseAcksAllWhenTheIsrIsBelowMinInsyncReplicas() throws Exception {
        broker.createTopic("orders", Map.of(0, List.of(1, 2)), Map.of("min.insync.replicas", "2"));
        broker.writeState("orders", 0, new PartitionState(1, 0, List.of(1), 1));
        broker.awaitPartition(ORDERS_0, Partition::isLeader);

        PartitionProduceResponse answer = single(produce((short) -1, 30_000, "orders", 0, batch("a")));

        assertThat(answer.errorCode()).isEqualTo(Errors.NOT_ENOUGH_REPLICAS.code());
        assertThat(broker.log(ORDERS_0).orElseThrow().logEndOffset()).isZero();
    }

    @Test
    void shouldAnswerAcksAllOnlyOnceTheIsrHasTheRecords() throws Exception {
        Partition partition = twoReplicaLeader();

        CompletableFuture<HandlerResult> outcome = handler.handle(
                decoded(new ProduceRequest(request((short) -1, 30_000, "orders", 0, batch("a", "b")), BY_NAME)));
        // the append runs on a request-handler thread: wait until it is in the log
        await().atMost(Duration.ofSeconds(10)).until(partition::logEndOffset, end -> end == 2);
        assertThat(outcome).isNotDone();

        partition.updateFollowerFetchState(2, 1);
        assertThat(outcome).isNotDone();
        partition.updateFollowerFetchState(2, 2);

        PartitionProduceResponse answer = single(response(outcome, ProduceResponse.class));
        assertThat(answer.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(answer.baseOffset()).isZero();
    }

    @Test
    void shouldAnswerRequestTimedOutWhenTheIsrDoesNotCatchUpInTime() throws Exception {
        twoReplicaLeader();
        long start = System.nanoTime();

        PartitionProduceResponse answer = single(produce((short) -1, 300, "orders", 0, batch("a")));

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(290);
        assertThat(answer.errorCode()).isEqualTo(Errors.REQUEST_TIMED_OUT.code());
        assertThat(answer.baseOffset()).isEqualTo(-1);
    }

    @Test
    void shouldAnswerAWaitingAcksAllWithNotLeaderWhenLeadershipMoves() throws Exception {
        twoReplicaLeader();
        CompletableFuture<HandlerResult> outcome = handler.handle(
                decoded(new ProduceRequest(request((short) -1, 30_000, "orders", 0, batch("a")), BY_NAME)));

        broker.writeState("orders", 0, new PartitionState(2, 1, List.of(2), 2));

        PartitionProduceResponse answer = single(response(outcome, ProduceResponse.class));
        assertThat(answer.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
    }

    @Test
    void shouldSendNothingForAcksZeroAndCloseTheConnectionWhenItFails() throws Exception {
        broker.createLedTopic("orders", Map.of());

        HandlerResult appended = handler.handle(
                        decoded(new ProduceRequest(request((short) 0, 30_000, "orders", 0, batch("a")), BY_NAME)))
                .get(10, TimeUnit.SECONDS);
        HandlerResult failed = handler.handle(
                        decoded(new ProduceRequest(request((short) 0, 30_000, "missing", 0, batch("b")), BY_NAME)))
                .get(10, TimeUnit.SECONDS);

        assertThat(appended).isSameAs(HandlerResult.noResponse());
        assertThat(failed).isInstanceOf(HandlerResult.CloseConnection.class);
        assertThat(broker.log(ORDERS_0).orElseThrow().logEndOffset()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------

    /** orders-0 on brokers 1 and 2, both in the ISR, led here. */
    @Test
    void shouldAnswerInvalidRequiredAcksForEveryPartitionAndAppendNothing() throws Exception {
        broker.createLedTopic("orders", Map.of());

        for (short acks : new short[] {2, -2, 5}) {
            PartitionProduceResponse answer = single(produce(acks, 30_000, "orders", 0, batch("a")));

            assertThat(answer.errorCode()).isEqualTo(Errors.INVALID_REQUIRED_ACKS.code());
            assertThat(answer.baseOffset()).isEqualTo(-1);
        }
        assertThat(broker.log(ORDERS_0).orElseThrow().logEndOffset()).isZero();
    }

    private Partition twoReplicaLeader() throws Exception {
        broker.createTopic("orders", Map.of(0, List.of(1, 2)), Map.of());
        broker.writeState("orders", 0, new PartitionState(1, 0, List.of(1, 2), 1));
        return broker.awaitPartition(ORDERS_0, Partition::isLeader);
    }

    private ProduceResponse produce(short acks, int timeoutMs, String topic, int partition, MemoryRecords records)
            throws Exception {
        return handle(request(acks, timeoutMs, topic, partition, records), BY_NAME);
    }

    private ProduceResponse handle(ProduceRequestData data, short version) throws Exception {
        return response(handler.handle(decoded(new ProduceRequest(data, version))), ProduceResponse.class);
    }

    private static ProduceRequestData request(
            short acks, int timeoutMs, String topic, int partition, MemoryRecords records) {
        return request(acks, timeoutMs, new TopicProduceData().setName(topic), partition, records);
    }

    private static ProduceRequestData request(
            short acks, int timeoutMs, TopicProduceData topic, int partition, MemoryRecords records) {
        topic.partitionData().add(new PartitionProduceData().setIndex(partition).setRecords(records));
        TopicProduceDataCollection topics = new TopicProduceDataCollection();
        topics.add(topic);
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(timeoutMs).setTopicData(topics);
    }

    private static PartitionProduceResponse single(ProduceResponse response) {
        assertThat(response.data().responses()).hasSize(1);
        TopicProduceResponse topic = response.data().responses().iterator().next();
        assertThat(topic.partitionResponses()).hasSize(1);
        return topic.partitionResponses().get(0);
    }

    private static TopicProduceResponse topic(ProduceResponse response, String name) {
        return response.data().responses().stream()
                .filter(t -> name.equals(t.name()))
                .findFirst()
                .orElseThrow();
    }
}
