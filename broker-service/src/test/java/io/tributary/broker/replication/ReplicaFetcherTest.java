package io.tributary.broker.replication;

import static io.tributary.broker.testing.TestRecords.batch;
import static io.tributary.broker.testing.TestRecords.batchEpochs;
import static io.tributary.broker.testing.TestRecords.leaderBatch;
import static io.tributary.broker.testing.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.fetch.FetchSession;
import io.tributary.broker.fetch.FetchSessionCache;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.server.handler.BrokerHandlers;
import io.tributary.broker.testing.TestBroker;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.protocol.ProtocolServerConfig;
import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.common.zk.PartitionState;
import io.tributary.storage.log.PartitionLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broker 2's replica fetcher against a real leader: broker 1's replica manager behind a real
 * Kafka-protocol server on a random port serving the broker's own Fetch and OffsetsForLeaderEpoch
 * handlers, both brokers on one real ZooKeeper where the test plays the controller. The back-off
 * tests put a server of their own (answering every fetch with an error, or closing every
 * connection) in the leader's place.
 */
class ReplicaFetcherTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    @TempDir
    Path leaderDir;

    @TempDir
    Path followerDir;

    private final String namespace = "fetcher-test-" + NAMESPACES.incrementAndGet();
    private TestBroker leader;
    private TestBroker follower;
    private KafkaProtocolServer server;
    private final FetchSessionCache leaderSessions = BrokerHandlers.sessions();

    @AfterEach
    void stop() throws Exception {
        if (follower != null) {
            follower.close();
        }
        if (server != null) {
            server.close();
        }
        if (leader != null) {
            leader.close();
        }
    }

    /** Broker 1 serving the Kafka protocol, registered; broker 2 following whatever the state says. */
    private void startBrokers() throws Exception {
        startLeader();
        follower = new TestBroker(2, ZOOKEEPER.connectString(), namespace, followerDir);
    }

    private void startLeader() throws Exception {
        leader = new TestBroker(1, ZOOKEEPER.connectString(), namespace, leaderDir);
        server = new KafkaProtocolServer(
                ProtocolServerConfig.of("127.0.0.1", 0),
                BrokerHandlers.dataPlane(
                        leader.cache(), leader.replicaManager(), leader.requestHandlers(), leaderSessions));
        server.start();
        leader.registerBroker(1, server.port());
    }

    @Test
    void shouldCopyTheLeadersRecordsWithTheirOffsetsAndEpochsAndTakeItsHighWatermark() throws Exception {
        startBrokers();
        leader.createTopic("orders", Map.of(0, List.of(1, 2)), Map.of());
        leader.writeState("orders", 0, new PartitionState(1, 2, List.of(1, 2), 1));
        Partition leading = leader.awaitPartition(ORDERS_0, Partition::isLeader);
        follower.awaitPartition(ORDERS_0, p -> p.leaderId() == 1);

        leading.appendAsLeader(batch("a", "b"), (short) -1);
        leading.appendAsLeader(batch("c"), (short) -1);

        PartitionLog copy = awaitLogEnd(follower, 3);
        assertThat(values(copy.reader().read(0, 10_000, 3, true).records())).containsExactly("a", "b", "c");
        assertThat(batchEpochs(copy.reader().read(0, 10_000, 3, true).records()))
                .containsExactly(2, 2);
        // the follower's next fetch tells the leader it has everything, and brings back the result
        await().atMost(TestBroker.AWAIT).until(() -> leading.highWatermark() == 3);
        await().atMost(TestBroker.AWAIT).until(() -> copy.highWatermark().offset() == 3);
    }

    @Test
    void shouldFetchInAFetchSessionWithTheLeader() throws Exception {
        startBrokers();
        leader.createTopic("orders", Map.of(0, List.of(1, 2), 1, List.of(1, 2)), Map.of());
        leader.writeState("orders", 0, new PartitionState(1, 0, List.of(1, 2), 1));
        leader.writeState("orders", 1, new PartitionState(1, 0, List.of(1, 2), 1));
        Partition leading = leader.awaitPartition(ORDERS_0, Partition::isLeader);
        follower.awaitPartition(ORDERS_0, p -> p.leaderId() == 1);
        follower.awaitPartition(new TopicPartition("orders", 1), p -> p.leaderId() == 1);

        for (int i = 0; i < 5; i++) {
            leading.appendAsLeader(batch("v" + i), (short) 1);
            int end = i + 1;
            awaitLogEnd(follower, end);
        }

        await().atMost(TestBroker.AWAIT).until(() -> leaderSessions.sessions().size() == 1);
        FetchSession session = leaderSessions.sessions().get(0);
        assertThat(session.privileged()).isTrue();
        assertThat(session.size()).isEqualTo(2);
        // opened by one full fetch, then one incremental fetch per round at least
        assertThat(session.nextEpoch()).isGreaterThan(5);
        assertThat(values(follower.log(ORDERS_0)
                        .orElseThrow()
                        .reader()
                        .read(0, 10_000, 5, true)
                        .records()))
                .containsExactly("v0", "v1", "v2", "v3", "v4");
    }

    @Test
    void shouldSpreadTheLeadersPartitionsOverNumReplicaFetchersThreadsByHash() throws Exception {
        startLeader();
        follower = new TestBroker(
                2, ZOOKEEPER.connectString(), namespace, followerDir, java.time.Clock.systemUTC(), 30_000, 1, 2);
        int count = 6;
        Map<Integer, List<Integer>> assignment = new java.util.HashMap<>();
        for (int p = 0; p < count; p++) {
            assignment.put(p, List.of(1, 2));
        }
        leader.createTopic("orders", assignment, Map.of());
        for (int p = 0; p < count; p++) {
            leader.writeState("orders", p, new PartitionState(1, 0, List.of(1, 2), 1));
        }
        for (int p = 0; p < count; p++) {
            TopicPartition tp = new TopicPartition("orders", p);
            leader.awaitPartition(tp, Partition::isLeader).appendAsLeader(batch("p" + p), (short) 1);
        }

        for (int p = 0; p < count; p++) {
            TopicPartition tp = new TopicPartition("orders", p);
            await().atMost(TestBroker.AWAIT)
                    .until(() ->
                            follower.log(tp).map(PartitionLog::logEndOffset).orElse(0L) == 1);
            assertThat(values(follower.log(tp)
                            .orElseThrow()
                            .reader()
                            .read(0, 10_000, 1, true)
                            .records()))
                    .containsExactly("p" + p);
        }
        Map<String, List<TopicPartition>> threads = follower.fetchers().assignments();
        Map<String, List<TopicPartition>> expected = new java.util.HashMap<>();
        for (int p = 0; p < count; p++) {
            TopicPartition tp = new TopicPartition("orders", p);
            int index = ReplicaFetcherManager.fetcherIndex(tp, 2);
            String name = "replica-fetcher-2-from-1" + (index == 0 ? "" : "-" + index);
            expected.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(tp);
        }
        assertThat(threads.keySet())
                .containsExactlyInAnyOrder("replica-fetcher-2-from-1", "replica-fetcher-2-from-1-1");
        expected.forEach((name, tps) -> assertThat(threads.get(name)).containsExactlyInAnyOrderElementsOf(tps));
    }

    @Test
    void shouldTruncateWhatTheNewLeaderNeverHadBeforeFetching() throws Exception {
        startBrokers();
        leader.createTopic("orders", Map.of(0, List.of(1, 2)), Map.of());
        // epoch 0: broker 2 leads alone and appends five records; broker 1 got the first three
        leader.writeState("orders", 0, new PartitionState(2, 0, List.of(2), 1));
        Partition deposed = follower.awaitPartition(ORDERS_0, Partition::isLeader);
        Partition next = leader.awaitPartition(ORDERS_0, p -> p.leaderId() == 2);
        deposed.appendAsLeader(batch("a", "b", "c"), (short) 1);
        deposed.appendAsLeader(batch("d", "e"), (short) 1);
        next.followerWrites().append(leaderBatch(0, 0, "a", "b", "c"));

        // epoch 1: broker 1 leads and appends its own records from offset 3
        leader.writeState("orders", 0, new PartitionState(1, 1, List.of(1, 2), 2));
        leader.awaitPartition(ORDERS_0, Partition::isLeader);
        next.appendAsLeader(batch("x", "y", "z"), (short) 1);

        PartitionLog copy = awaitLogEnd(follower, 6);
        assertThat(values(copy.reader().read(0, 10_000, 6, true).records()))
                .containsExactly("a", "b", "c", "x", "y", "z");
        assertThat(batchEpochs(copy.reader().read(0, 10_000, 6, true).records()))
                .containsExactly(0, 1);
        assertThat(copy.leaderEpochCache().endOffsetFor(0, copy.logEndOffset()).endOffset())
                .isEqualTo(3);
    }

    @Test
    void shouldTruncateAnUncommittedTailWhenTheLeaderHasNothingNewer() throws Exception {
        startBrokers();
        leader.createTopic("orders", Map.of(0, List.of(1, 2)), Map.of());
        leader.writeState("orders", 0, new PartitionState(2, 0, List.of(2), 1));
        Partition deposed = follower.awaitPartition(ORDERS_0, Partition::isLeader);
        Partition next = leader.awaitPartition(ORDERS_0, p -> p.leaderId() == 2);
        deposed.appendAsLeader(batch("a", "b"), (short) 1);
        deposed.appendAsLeader(batch("c", "d"), (short) 1);
        next.followerWrites().append(leaderBatch(0, 0, "a", "b"));

        leader.writeState("orders", 0, new PartitionState(1, 1, List.of(1, 2), 2));

        await().atMost(TestBroker.AWAIT)
                .until(() -> follower.log(ORDERS_0).orElseThrow().logEndOffset() == 2);
        // and stays there: nothing more to fetch
        Thread.sleep(700);
        assertThat(follower.log(ORDERS_0).orElseThrow().logEndOffset()).isEqualTo(2);
    }

    @Test
    void shouldRestartAtTheLeadersLogStartWhenItsLogStartsPastTheFollowersEnd() throws Exception {
        // the follower starts only once the leader's log starts at 3, so that it cannot copy
        // (or, once in the ISR, hold back the high watermark of) the records deleted
        startLeader();
        leader.createTopic("orders", Map.of(0, List.of(1, 2)), Map.of());
        leader.writeState("orders", 0, new PartitionState(1, 0, List.of(1), 1));
        Partition leading = leader.awaitPartition(ORDERS_0, Partition::isLeader);
        leading.appendAsLeader(batch("a", "b", "c"), (short) 1);
        leading.appendAsLeader(batch("d", "e"), (short) 1);
        leader.log(ORDERS_0).orElseThrow().retention().deleteRecordsBefore(3);
        assertThat(leader.log(ORDERS_0).orElseThrow().logStartOffset()).isEqualTo(3);
        follower = new TestBroker(2, ZOOKEEPER.connectString(), namespace, followerDir);

        PartitionLog copy = awaitLogEnd(follower, 5);
        assertThat(copy.logStartOffset()).isEqualTo(3);
        assertThat(values(copy.reader().read(3, 10_000, 5, true).records())).containsExactly("d", "e");
    }

    @Test
    void shouldBackOffWhileTheLeaderAnswersWithPartitionErrors() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        server = new KafkaProtocolServer(
                ProtocolServerConfig.of("127.0.0.1", 0),
                ApiHandlerRegistry.builder()
                        .register(new NotLeaderFetchHandler(fetches))
                        .build());
        server.start();
        follower = new TestBroker(2, ZOOKEEPER.connectString(), namespace, followerDir);
        follower.registerBroker(3, server.port());
        follower.createTopic("orders", Map.of(0, List.of(3, 2)), Map.of());
        follower.writeState("orders", 0, new PartitionState(3, 0, List.of(3, 2), 1));
        await().atMost(TestBroker.AWAIT).until(() -> fetches.get() > 0);

        int before = fetches.get();
        Thread.sleep(1_000);
        int during = fetches.get() - before;

        // about one every 100 ms; without the pause it would be as fast as the loopback allows
        assertThat(during).isBetween(2, 15);
    }

    @Test
    void shouldBackOffWhileTheLeaderCannotBeReached() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket refusing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!refusing.isClosed()) {
                    try (Socket socket = refusing.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            follower = new TestBroker(2, ZOOKEEPER.connectString(), namespace, followerDir);
            follower.registerBroker(3, refusing.getLocalPort());
            follower.createTopic("orders", Map.of(0, List.of(3, 2)), Map.of());
            follower.writeState("orders", 0, new PartitionState(3, 0, List.of(3, 2), 1));
            await().atMost(TestBroker.AWAIT).until(() -> connections.get() > 0);

            int before = connections.get();
            Thread.sleep(2_000);
            int during = connections.get() - before;

            // one attempt per back-off (replica.fetch.backoff.ms, 1 s)
            assertThat(during).isBetween(1, 8);
        }
    }

    // ---------------------------------------------------------------------------------------

    private static PartitionLog awaitLogEnd(TestBroker broker, long logEndOffset) {
        await().atMost(TestBroker.AWAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> broker.log(ORDERS_0)
                        .map(log -> log.logEndOffset() == logEndOffset)
                        .orElse(false));
        return broker.log(ORDERS_0).orElseThrow();
    }

    /** A leader that has moved on: every partition of every fetch answers NOT_LEADER_OR_FOLLOWER at once. */
    private record NotLeaderFetchHandler(AtomicInteger fetches) implements ApiHandler {

        @Override
        public ApiKeys apiKey() {
            return ApiKeys.FETCH;
        }

        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            fetches.incrementAndGet();
            FetchResponseData response = new FetchResponseData().setSessionId(0);
            for (FetchRequestData.FetchTopic topic :
                    request.body(FetchRequest.class).data().topics()) {
                FetchResponseData.FetchableTopicResponse answer = new FetchResponseData.FetchableTopicResponse()
                        .setTopic(topic.topic())
                        .setTopicId(topic.topicId());
                topic.partitions()
                        .forEach(p -> answer.partitions()
                                .add(FetchResponse.partitionResponse(p.partition(), Errors.NOT_LEADER_OR_FOLLOWER)));
                response.responses().add(answer);
            }
            return HandlerResult.completed(FetchResponse.of(response));
        }
    }
}
