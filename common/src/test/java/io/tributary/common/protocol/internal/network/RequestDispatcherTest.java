package io.tributary.common.protocol.internal.network;

import static io.tributary.common.protocol.ProtocolTestSupport.embedded;
import static io.tributary.common.protocol.ProtocolTestSupport.frameBuf;
import static io.tributary.common.protocol.ProtocolTestSupport.responses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.ConnectionInfo;
import io.tributary.common.protocol.ConnectionListener;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.protocol.ProtocolTestSupport.ResponseFrame;
import io.tributary.common.protocol.metrics.MicrometerRequestMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestDispatcherTest {

    private static final short HEARTBEAT_VERSION = 4;

    private final Map<Integer, CompletableFuture<HandlerResult>> pending = new HashMap<>();
    private Function<DecodedRequest, CompletableFuture<HandlerResult>> heartbeatBehaviour = request -> {
        CompletableFuture<HandlerResult> future = new CompletableFuture<>();
        pending.put(request.correlationId(), future);
        return future;
    };
    private Function<DecodedRequest, CompletableFuture<HandlerResult>> produceBehaviour =
            request -> request.expectsResponse()
                    ? HandlerResult.completed(
                            new ProduceResponse(new org.apache.kafka.common.message.ProduceResponseData()))
                    : CompletableFuture.completedFuture(HandlerResult.noResponse());
    private final List<ConnectionInfo> closed = new ArrayList<>();
    private final ServerCounters counters = new ServerCounters();
    private final SimpleMeterRegistry requestMeters = new SimpleMeterRegistry();
    private EmbeddedChannel channel = channel(32);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldWriteResponsesInRequestOrderWhenHandlersCompleteOutOfOrder() {
        channel.writeInbound(Unpooled.wrappedBuffer(heartbeat(1), heartbeat(2), heartbeat(3)));

        answer(3);
        assertThat(responses(channel)).isEmpty();
        answer(1);
        assertThat(correlationIds()).containsExactly(1);
        answer(2);
        List<ResponseFrame> rest = responses(channel);
        assertThat(rest).extracting(ResponseFrame::correlationId).containsExactly(2, 3);
        HeartbeatResponse parsed = (HeartbeatResponse) rest.get(0).parse(ApiKeys.HEARTBEAT, HEARTBEAT_VERSION);
        assertThat(parsed.error()).isEqualTo(Errors.NONE);
        assertThat(requestMeters
                        .get(MicrometerRequestMetrics.TOTAL_TIME)
                        .tag("request", "Heartbeat")
                        .timer()
                        .count())
                .isEqualTo(3);
    }

    @Test
    void shouldFreeTheSlotOfAnAcksZeroProduceWithoutWriting() {
        channel.writeInbound(
                Unpooled.wrappedBuffer(heartbeat(1), produce(2, (short) 0), heartbeat(3), produce(4, (short) 1)));

        answer(3);
        answer(1);

        assertThat(correlationIds()).containsExactly(1, 3, 4);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void shouldCloseTheConnectionWhenAnAcksZeroProduceFailsAfterFlushingEarlierResponses() {
        produceBehaviour = request -> CompletableFuture.failedFuture(new NotCoordinatorException("moved"));
        channel.writeInbound(Unpooled.wrappedBuffer(heartbeat(1), produce(2, (short) 0), heartbeat(3)));

        answer(1);
        channel.runPendingTasks();

        assertThat(correlationIds()).containsExactly(1);
        assertThat(channel.isOpen()).isFalse();
        assertThat(pending.get(3)).isCancelled();
    }

    @Test
    void shouldAnswerUnknownServerErrorWhenAHandlerThrows() {
        heartbeatBehaviour = request -> {
            throw new IllegalStateException("bug with a secret path /var/lib/x");
        };

        ch.qos.logback.classic.Logger logs =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.tributary");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        logs.addAppender(captured);
        try {
            channel.writeInbound(heartbeat(7));
        } finally {
            logs.detachAppender(captured);
        }

        HeartbeatResponse response = (HeartbeatResponse) single().parse(ApiKeys.HEARTBEAT, HEARTBEAT_VERSION);
        assertThat(response.error()).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(response.data().errorCode()).isEqualTo((short) -1);
        assertThat(channel.isOpen()).isTrue();
        // logged once, with the API and the request
        assertThat(captured.list)
                .filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage())
                        .contains("HEARTBEAT v4", "correlationId=7", "clientId=test-client", "groupId='g'"));
    }

    @Test
    void shouldAnswerAnApiExceptionSubclassWithItsOwnCode() {
        channel.writeInbound(heartbeat(8));

        pending.get(8).completeExceptionally(new GroupMovedException());

        HeartbeatResponse response = (HeartbeatResponse) single().parse(ApiKeys.HEARTBEAT, HEARTBEAT_VERSION);
        assertThat(response.error()).isEqualTo(Errors.NOT_COORDINATOR);
    }

    @Test
    void shouldAnswerUnknownServerErrorWhenAHandlerCompletesWithNull() {
        channel.writeInbound(heartbeat(9));

        pending.get(9).complete(null);

        assertThat(((HeartbeatResponse) single().parse(ApiKeys.HEARTBEAT, HEARTBEAT_VERSION)).error())
                .isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void shouldAnswerUnknownServerErrorWhenAHandlerAnswersWithAnotherApisResponse() {
        channel.writeInbound(heartbeat(10));

        pending.get(10)
                .complete(HandlerResult.respond(
                        new ProduceResponse(new org.apache.kafka.common.message.ProduceResponseData())));

        assertThat(((HeartbeatResponse) single().parse(ApiKeys.HEARTBEAT, HEARTBEAT_VERSION)).error())
                .isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void shouldTimeAParkedRequestUntilItsResponseIsWrittenAndCountItsErrorCode() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        channel.finishAndReleaseAll();
        channel = embedded(
                ApiHandlerRegistry.builder()
                        .register(handler(ApiKeys.HEARTBEAT, request -> heartbeatBehaviour.apply(request)))
                        .register(handler(ApiKeys.PRODUCE, request -> produceBehaviour.apply(request)))
                        .build(),
                new MicrometerRequestMetrics(meters, Set.of(ApiKeys.HEARTBEAT, ApiKeys.PRODUCE)));
        Timer heartbeats = meters.get(MicrometerRequestMetrics.TOTAL_TIME)
                .tag("request", "Heartbeat")
                .timer();
        Timer produces = meters.get(MicrometerRequestMetrics.TOTAL_TIME)
                .tag("request", "Produce")
                .timer();

        channel.writeInbound(Unpooled.wrappedBuffer(heartbeat(1), produce(2, (short) 0)));
        long parkedSince = System.nanoTime();
        await().pollDelay(Duration.ofMillis(50)).until(() -> true);
        assertThat(heartbeats.count()).as("not counted while parked").isZero();
        assertThat(produces.count())
                .as("acks=0 waits behind the parked heartbeat")
                .isZero();

        pending.get(1)
                .complete(HandlerResult.respond(new HeartbeatResponse(
                        new HeartbeatResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()))));
        long parked = System.nanoTime() - parkedSince;

        assertThat(correlationIds()).containsExactly(1);
        assertThat(heartbeats.count()).isEqualTo(1);
        assertThat(heartbeats.totalTime(TimeUnit.NANOSECONDS))
                .isGreaterThanOrEqualTo(50_000_000.0)
                .isLessThanOrEqualTo(parked + 5_000_000_000.0);
        assertThat(produces.count())
                .as("an acks=0 produce is timed when its slot is freed")
                .isEqualTo(1);
        assertThat(meters.get(MicrometerRequestMetrics.ERRORS)
                        .tags("request", "Heartbeat", "error", "REBALANCE_IN_PROGRESS")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(meters.find(MicrometerRequestMetrics.ERRORS)
                        .tag("request", "Produce")
                        .counters())
                .as("an unanswered request has no error code")
                .isEmpty();
    }

    @Test
    void shouldStopReadingWhileTooManyRequestsAwaitTheirResponse() {
        channel.finishAndReleaseAll();
        channel = channel(2);

        channel.writeInbound(heartbeat(1));
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.writeInbound(heartbeat(2));
        assertThat(channel.config().isAutoRead()).isFalse();

        answer(1);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(correlationIds()).containsExactly(1);
    }

    @Test
    void shouldSendAThrottledResponseAtOnceAndThenStopReadingForItsThrottleTime() throws Exception {
        channel.writeInbound(heartbeat(1));

        pending.get(1)
                .complete(HandlerResult.respond(
                        new HeartbeatResponse(new HeartbeatResponseData().setThrottleTimeMs(100))));
        assertThat(correlationIds()).containsExactly(1);
        assertThat(channel.config().isAutoRead()).isFalse();

        Thread.sleep(150);
        channel.runScheduledPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void shouldCloseAnIdleConnectionOnlyWhenNoRequestIsInProgress() {
        channel.writeInbound(heartbeat(1));

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertThat(channel.isOpen()).isTrue();

        answer(1);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void shouldCancelPendingFuturesAndTellListenersOnClose() {
        channel.writeInbound(heartbeat(1));
        ConnectionInfo connection = ConnectionTracker.connectionOf(channel);

        channel.close();

        assertThat(pending.get(1)).isCancelled();
        assertThat(closed).containsExactly(connection);
        assertThat(counters.activeConnections()).isZero();
        assertThat(counters.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void shouldReleaseAProduceFrameOnceItsResponseIsWritten() {
        produceBehaviour = heartbeatBehaviour;
        ByteBuf frame = produce(5, (short) 1);

        channel.writeInbound(frame);

        assertThat(frame.refCnt()).as("held by the request in progress").isEqualTo(1);
        pending.get(5).complete(HandlerResult.respond(new ProduceResponse(new ProduceResponseData())));
        assertThat(correlationIds()).containsExactly(5);
        assertThat(frame.refCnt()).isZero();
    }

    @Test
    void shouldKeepAProduceFrameThatAHandlerRetainedAfterTheConnectionCloses() {
        List<DecodedRequest> retained = new ArrayList<>();
        produceBehaviour = request -> {
            // as the produce handler does for an append queued on another thread
            request.retainBuffer();
            retained.add(request);
            return heartbeatBehaviour.apply(request);
        };
        ByteBuf frame = produce(6, (short) 1);
        channel.writeInbound(frame);

        channel.close();

        assertThat(pending.get(6)).isCancelled();
        assertThat(frame.refCnt()).as("the handler's reference").isEqualTo(1);
        retained.get(0).releaseBuffer();
        assertThat(frame.refCnt()).isZero();
    }

    @Test
    void shouldReleaseAProduceFrameThatArrivesAfterTheConnectionFailed() {
        produceBehaviour = request -> CompletableFuture.failedFuture(new NotCoordinatorException("moved"));
        ByteBuf failing = produce(1, (short) 0);
        ByteBuf behind = produce(2, (short) 1);

        channel.writeInbound(Unpooled.wrappedBuffer(failing, behind));
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(failing.refCnt()).isZero();
        assertThat(behind.refCnt()).isZero();
    }

    private EmbeddedChannel channel(int maxInFlight) {
        ApiHandlerRegistry registry = ApiHandlerRegistry.builder()
                .register(handler(ApiKeys.HEARTBEAT, r -> heartbeatBehaviour.apply(r)))
                .register(handler(ApiKeys.PRODUCE, r -> produceBehaviour.apply(r)))
                .build();
        ConnectionListener listener = new ConnectionListener() {
            @Override
            public void connectionClosed(ConnectionInfo connection) {
                closed.add(connection);
            }
        };
        return embedded(
                registry,
                counters,
                new MicrometerRequestMetrics(requestMeters, registry.apiKeys()),
                List.of(listener),
                maxInFlight);
    }

    private void answer(int correlationId) {
        pending.get(correlationId).complete(HandlerResult.respond(new HeartbeatResponse(new HeartbeatResponseData())));
    }

    private List<Integer> correlationIds() {
        return responses(channel).stream().map(ResponseFrame::correlationId).toList();
    }

    private ResponseFrame single() {
        List<ResponseFrame> frames = responses(channel);
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }

    private static io.netty.buffer.ByteBuf heartbeat(int correlationId) {
        return frameBuf(
                new HeartbeatRequest.Builder(
                                new HeartbeatRequestData().setGroupId("g").setMemberId("m"))
                        .build(HEARTBEAT_VERSION),
                correlationId);
    }

    private static ByteBuf produce(int correlationId, short acks) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData()
                .setName("t")
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()))))));
        short version = 12;
        return frameBuf(
                new ProduceRequest.Builder(
                                version,
                                version,
                                new ProduceRequestData()
                                        .setAcks(acks)
                                        .setTimeoutMs(1000)
                                        .setTopicData(topics))
                        .build(version),
                correlationId);
    }

    private static ApiHandler handler(
            ApiKeys key, Function<DecodedRequest, CompletableFuture<HandlerResult>> behaviour) {
        return new ApiHandler() {
            @Override
            public ApiKeys apiKey() {
                return key;
            }

            @Override
            public short minVersion() {
                return key.oldestVersion();
            }

            @Override
            public short maxVersion() {
                return key.latestVersion(false);
            }

            @Override
            public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
                return behaviour.apply(request);
            }
        };
    }

    /** Our own subclass of a Kafka error, as a service would define one. */
    private static final class GroupMovedException extends NotCoordinatorException {
        private static final long serialVersionUID = 1L;

        GroupMovedException() {
            super("group moved to another coordinator");
        }
    }
}
