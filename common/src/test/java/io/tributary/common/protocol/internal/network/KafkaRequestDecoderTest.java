package io.tributary.common.protocol.internal.network;

import static io.tributary.common.protocol.ProtocolTestSupport.CLIENT_ID;
import static io.tributary.common.protocol.ProtocolTestSupport.frame;
import static io.tributary.common.protocol.ProtocolTestSupport.frameBuf;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.protocol.RequestBuffer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The frame and request decoders over every version kafka-clients supports, for a spread of APIs. */
class KafkaRequestDecoderTest {

    private static final Uuid TOPIC_ID = Uuid.fromString("f3iZc2N3QAK4ShkfVTG-SQ");

    /** A request of each API at a given version, as a 4.x client's builders produce it. */
    private static final Map<ApiKeys, Function<Short, AbstractRequest>> REQUESTS = Map.of(
            ApiKeys.API_VERSIONS, v -> new ApiVersionsRequest.Builder().build(v),
            ApiKeys.METADATA, KafkaRequestDecoderTest::metadata,
            ApiKeys.PRODUCE, KafkaRequestDecoderTest::produce,
            ApiKeys.FETCH,
                    v -> FetchRequest.Builder.forConsumer(v, 500, 1, Map.of()).build(v),
            ApiKeys.FIND_COORDINATOR, KafkaRequestDecoderTest::findCoordinator,
            ApiKeys.HEARTBEAT,
                    v -> new HeartbeatRequest.Builder(new HeartbeatRequestData()
                                    .setGroupId("group")
                                    .setGenerationId(3)
                                    .setMemberId("member-1"))
                            .build(v),
            ApiKeys.JOIN_GROUP, KafkaRequestDecoderTest::joinGroup,
            ApiKeys.LIST_GROUPS, v -> new ListGroupsRequest.Builder(new ListGroupsRequestData()).build(v),
            ApiKeys.DESCRIBE_CLUSTER,
                    v -> new DescribeClusterRequest.Builder(new DescribeClusterRequestData()).build(v));

    private final ServerCounters counters = new ServerCounters();
    private final EmbeddedChannel channel = decoderChannel(registryServingEverything());

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    static Stream<Arguments> everySupportedVersion() {
        return REQUESTS.keySet().stream()
                .sorted()
                .flatMap(key -> key.allVersions().stream()
                        .filter(v -> v <= key.latestVersion(false))
                        .map(v -> Arguments.of(key, v)));
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("everySupportedVersion")
    void shouldDecodeEveryVersion(ApiKeys key, short version) {
        AbstractRequest sent = REQUESTS.get(key).apply(version);
        ByteBuffer framed = frame(sent, 1000 + version);
        int frameSize = framed.remaining() - 4;

        channel.writeInbound(Unpooled.wrappedBuffer(framed));

        DecodedRequest decoded = channel.readInbound();
        assertThat(decoded.apiKey()).isEqualTo(key);
        assertThat(decoded.apiVersion()).isEqualTo(version);
        assertThat(decoded.header().apiVersion()).isEqualTo(version);
        assertThat(decoded.correlationId()).isEqualTo(1000 + version);
        assertThat(decoded.clientId()).isEqualTo(CLIENT_ID);
        assertThat(decoded.requestSize()).isEqualTo(frameSize);
        assertThat(decoded.connectionId()).endsWith("-1");
        assertThat(decoded.request()).isInstanceOf(sent.getClass());
        // byte-exact: what we parsed re-serialises to what the client sent
        assertThat(decoded.request().serialize().buffer())
                .isEqualTo(sent.serialize().buffer());
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void shouldReadProduceRecordsInPlaceAndHoldTheFrameUntilTheRequestReleasesIt() {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer();
        pooled.writeBytes(frame(produce(ApiKeys.PRODUCE.latestVersion()), 1));

        channel.writeInbound(pooled);

        DecodedRequest decoded = channel.readInbound();
        assertThat(pooled.refCnt()).as("the request's reference").isEqualTo(1);
        MemoryRecords records = firstRecords(decoded);
        assertThat(records.buffer().isDirect()).as("not copied to the heap").isTrue();
        assertThat(new String(toBytes(records.records().iterator().next().value())))
                .isEqualTo("v1");
        decoded.retainBuffer();
        decoded.releaseBuffer();
        assertThat(pooled.refCnt()).isEqualTo(1);

        decoded.releaseBuffer();

        assertThat(pooled.refCnt()).isZero();
    }

    @Test
    void shouldCopyEveryOtherRequestOutOfThePooledFrameAndReleaseItAtOnce() {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer();
        pooled.writeBytes(frame(metadata(ApiKeys.METADATA.latestVersion()), 1));

        channel.writeInbound(pooled);

        DecodedRequest decoded = channel.readInbound();
        assertThat(pooled.refCnt()).isZero();
        assertThat(decoded.buffer()).isSameAs(RequestBuffer.NONE);
        assertThat(decoded.body(MetadataRequest.class).data().topics()).hasSize(2);
    }

    @Test
    void shouldReleaseAProduceFrameWhoseBodyCannotBeParsed() {
        ByteBuffer whole = frame(produce(ApiKeys.PRODUCE.latestVersion()), 1);
        // the header and the start of the body, with a size prefix that makes the frame complete
        int cut = whole.remaining() - 30;
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer();
        pooled.writeInt(cut - 4).writeBytes(whole.array(), 4, cut - 4);

        channel.writeInbound(pooled);

        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
        assertThat(pooled.refCnt()).isZero();
    }

    private static MemoryRecords firstRecords(DecodedRequest request) {
        return (MemoryRecords) request.body(ProduceRequest.class)
                .data()
                .topicData()
                .iterator()
                .next()
                .partitionData()
                .get(0)
                .records();
    }

    @Test
    void shouldCloseConnectionForAnUnregisteredApi() {
        EmbeddedChannel onlyApiVersions =
                decoderChannel(ApiHandlerRegistry.builder().build());

        onlyApiVersions.writeInbound(
                frameBuf(new HeartbeatRequest.Builder(new HeartbeatRequestData().setGroupId("g")).build((short) 4), 1));

        assertThat((Object) onlyApiVersions.readInbound()).isNull();
        assertThat(onlyApiVersions.isOpen()).isFalse();
        onlyApiVersions.finishAndReleaseAll();
    }

    @Test
    void shouldCloseConnectionForAVersionOutsideTheRegisteredRange() {
        EmbeddedChannel narrow = decoderChannel(ApiHandlerRegistry.builder()
                .register(new NeverAnswers(ApiKeys.HEARTBEAT, (short) 3, (short) 4))
                .build());

        narrow.writeInbound(
                frameBuf(new HeartbeatRequest.Builder(new HeartbeatRequestData().setGroupId("g")).build((short) 2), 1));

        assertThat(narrow.isOpen()).isFalse();
        narrow.finishAndReleaseAll();
    }

    @Test
    void shouldCloseConnectionForAnUnknownApiKey() {
        ByteBuf frame = Unpooled.buffer();
        frame.writeInt(10).writeShort(9999).writeShort(0).writeInt(1).writeShort(-1);

        channel.writeInbound(frame);

        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.rejectedConnections()).isEqualTo(1);
    }

    @Test
    void shouldCloseConnectionForATruncatedBodyAndDropLaterFrames() {
        ByteBuffer whole = frame(
                new HeartbeatRequest.Builder(
                                new HeartbeatRequestData().setGroupId("group").setMemberId("m"))
                        .build((short) 3),
                1);
        // keep the header, cut the body short, and fix the size prefix so the frame itself is complete
        int cut = whole.remaining() - 6;
        ByteBuf truncated = Unpooled.buffer();
        truncated.writeInt(cut - 4).writeBytes(whole.array(), 4, cut - 4);
        ByteBuf followUp = frameBuf(new ApiVersionsRequest.Builder().build((short) 3), 2);

        channel.writeInbound(Unpooled.wrappedBuffer(truncated, followUp));

        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    private EmbeddedChannel decoderChannel(ApiHandlerRegistry registry) {
        return new EmbeddedChannel(
                new ConnectionTracker(new AtomicLong(), counters, List.of()),
                new KafkaFrameDecoder(1 << 20, counters),
                new KafkaRequestDecoder(new RequestParser(registry), counters));
    }

    private static ApiHandlerRegistry registryServingEverything() {
        ApiHandlerRegistry.Builder builder = ApiHandlerRegistry.builder();
        REQUESTS.keySet().stream()
                .filter(k -> k != ApiKeys.API_VERSIONS)
                .forEach(k -> builder.register(new NeverAnswers(k, k.oldestVersion(), k.latestVersion(false))));
        return builder.build();
    }

    private static ProduceRequest produce(short version) {
        MemoryRecords records = MemoryRecords.withRecords(
                Compression.NONE,
                new SimpleRecord("k1".getBytes(), "v1".getBytes()),
                new SimpleRecord("k2".getBytes(), "v2".getBytes()));
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(records)));
        // v13+ names topics by id only
        if (version >= 13) {
            topic.setTopicId(TOPIC_ID);
        } else {
            topic.setName("orders");
        }
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topic);
        return new ProduceRequest.Builder(
                        version,
                        version,
                        new ProduceRequestData()
                                .setAcks((short) -1)
                                .setTimeoutMs(30_000)
                                .setTopicData(topics))
                .build(version);
    }

    private static MetadataRequest metadata(short version) {
        MetadataRequestData data = new MetadataRequestData()
                .setAllowAutoTopicCreation(true)
                .setTopics(List.of(
                        new MetadataRequestData.MetadataRequestTopic().setName("orders"),
                        new MetadataRequestData.MetadataRequestTopic().setName("payments")));
        // the 4.x builder refuses v0, which a broker must still read (KIP-896 keeps it in the range)
        return version == 0 ? new MetadataRequest(data, version) : new MetadataRequest.Builder(data).build(version);
    }

    private static FindCoordinatorRequest findCoordinator(short version) {
        FindCoordinatorRequestData data = new FindCoordinatorRequestData().setKeyType((byte) 0);
        // v4+ batches keys
        if (version >= 4) {
            data.setCoordinatorKeys(List.of("group-a", "group-b"));
        } else {
            data.setKey("group-a");
        }
        return new FindCoordinatorRequest.Builder(data).build(version);
    }

    private static JoinGroupRequest joinGroup(short version) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {1, 2, 3}));
        return new JoinGroupRequest.Builder(new JoinGroupRequestData()
                        .setGroupId("group")
                        .setSessionTimeoutMs(45_000)
                        .setRebalanceTimeoutMs(version >= 1 ? 300_000 : -1)
                        .setMemberId("")
                        .setProtocolType("consumer")
                        .setProtocols(protocols))
                .build(version);
    }

    private static byte[] toBytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** A handler that is only there to make its API and range registered. */
    record NeverAnswers(ApiKeys apiKey, short minVersion, short maxVersion) implements ApiHandler {
        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            return new CompletableFuture<>();
        }
    }
}
