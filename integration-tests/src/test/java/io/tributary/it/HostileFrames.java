package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.it.RawConnection.Response;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ProduceResponse;

/**
 * The malformed requests {@link HostileFramesIT} sends, one kind per {@link Kind}, each on its
 * own connection, with the outcome Kafka gives it asserted: the right error in a response, or
 * the connection closed. Every choice comes from the {@link Random} it is given, so a seed
 * replays a run.
 *
 * <p>Not thread-safe.
 */
final class HostileFrames {

    /** What is sent. */
    enum Kind {
        NEGATIVE_SIZE,
        OVERSIZED,
        UNKNOWN_API_KEY,
        UNSERVED_API,
        UNSUPPORTED_VERSION,
        API_VERSIONS_AT_UNKNOWN_VERSION,
        BAD_CRC,
        TRUNCATED_BATCH,
        TRUNCATED_VARINT,
        GARBAGE_BODY,
        GARBAGE_FRAME,
        SHORT_SIZE_PREFIX,
        PIPELINED_FLOOD,
        FLOOD_WITH_POISON
    }

    /** Read-only APIs whose random bodies, if they happen to parse, harm nothing. */
    private static final List<ApiKeys> GARBAGE_TARGETS = List.of(
            ApiKeys.METADATA,
            ApiKeys.API_VERSIONS,
            ApiKeys.LIST_OFFSETS,
            ApiKeys.FIND_COORDINATOR,
            ApiKeys.DESCRIBE_CONFIGS,
            ApiKeys.PRODUCE);

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private final int port;
    private final int maxRequestBytes;
    private final Map<ApiKeys, ApiVersion> served;
    private final String crcTopic;
    private final Random random;

    HostileFrames(int port, int maxRequestBytes, Map<ApiKeys, ApiVersion> served, String crcTopic, Random random) {
        this.port = port;
        this.maxRequestBytes = maxRequestBytes;
        this.served = served;
        this.crcTopic = crcTopic;
        this.random = random;
    }

    /** A random kind; floods are rarer, since each is hundreds of requests. */
    Kind nextKind() {
        int pick = random.nextInt(100);
        if (pick < 3) {
            return Kind.PIPELINED_FLOOD;
        }
        if (pick < 6) {
            return Kind.FLOOD_WITH_POISON;
        }
        Kind[] single = Kind.values();
        return single[random.nextInt(Kind.PIPELINED_FLOOD.ordinal())];
    }

    /**
     * Sends one case of {@code kind} from {@code localIp} on a new connection and asserts its outcome.
     *
     * @return how many malformed requests it sent
     */
    int run(Kind kind, String localIp) {
        try (RawConnection connection = RawConnection.open(localIp, port, READ_TIMEOUT)) {
            return switch (kind) {
                case NEGATIVE_SIZE ->
                    expectClosed(connection, Frames.withClaimedSize(-1 - random.nextInt(Integer.MAX_VALUE), bytes(16)));
                case OVERSIZED ->
                    expectClosed(
                            connection,
                            Frames.withClaimedSize(
                                    maxRequestBytes + 1 + random.nextInt(Integer.MAX_VALUE - maxRequestBytes),
                                    bytes(64)));
                case UNKNOWN_API_KEY ->
                    expectClosed(
                            connection, Frames.frame(Frames.header(unknownApiKey(), random.nextInt(20), 1), bytes(32)));
                case UNSERVED_API -> expectClosed(connection, unservedApi());
                case UNSUPPORTED_VERSION -> expectClosed(connection, unsupportedVersion());
                case API_VERSIONS_AT_UNKNOWN_VERSION -> apiVersionsAtUnknownVersion(connection);
                case BAD_CRC -> expectProduceError(connection, badCrcBatch());
                case TRUNCATED_BATCH -> expectProduceError(connection, truncatedBatch());
                case TRUNCATED_VARINT -> expectClosed(connection, truncatedVarint());
                case GARBAGE_BODY -> garbageBody(connection);
                case GARBAGE_FRAME -> garbageFrame(connection);
                case SHORT_SIZE_PREFIX -> expectClosed(connection, shortSizePrefix());
                case PIPELINED_FLOOD -> pipelinedFlood(connection);
                case FLOOD_WITH_POISON -> floodWithPoison(connection);
            };
        }
    }

    private static int expectClosed(RawConnection connection, byte[] frame) {
        connection.send(frame);
        assertThat(connection.isClosedByServer())
                .as("the server closes the connection")
                .isTrue();
        return 1;
    }

    private short unknownApiKey() {
        short key;
        do {
            key = (short) random.nextInt(Short.MAX_VALUE + 1);
        } while (ApiKeys.hasId(key));
        return key;
    }

    /** A well-formed (default) body of an API the broker does not serve. */
    private byte[] unservedApi() {
        List<ApiKeys> unserved = new ArrayList<>();
        for (ApiKeys key : ApiKeys.values()) {
            if (!served.containsKey(key) && key.latestVersion() >= key.oldestVersion()) {
                unserved.add(key);
            }
        }
        ApiKeys key = unserved.get(random.nextInt(unserved.size()));
        try {
            return Frames.request(key, key.latestVersion(), 1, key.messageType.newRequest());
        } catch (RuntimeException defaultsDoNotSerialise) {
            return Frames.frame(Frames.header(key, key.latestVersion(), 1), bytes(32));
        }
    }

    /** A served API below or above its served range. */
    private byte[] unsupportedVersion() {
        List<ApiKeys> keys = new ArrayList<>(served.keySet());
        keys.remove(ApiKeys.API_VERSIONS);
        ApiKeys key = keys.get(random.nextInt(keys.size()));
        ApiVersion range = served.get(key);
        int version = range.minVersion() > 0 && random.nextBoolean()
                ? random.nextInt(range.minVersion())
                : range.maxVersion() + 1 + random.nextInt(200);
        return Frames.frame(Frames.header(key.id, version, 1), bytes(64));
    }

    /** KIP-511: answered with UNSUPPORTED_VERSION and our range, and the connection stays usable. */
    private int apiVersionsAtUnknownVersion(RawConnection connection) {
        short max = served.get(ApiKeys.API_VERSIONS).maxVersion();
        int version = max + 1 + random.nextInt(Short.MAX_VALUE - max);
        // the header of a flexible version (v2: tagged fields after the client id), as a newer client sends
        byte[] noTaggedFields = {0};
        connection.send(Frames.frame(Frames.header(ApiKeys.API_VERSIONS.id, version, 7), noTaggedFields, bytes(24)));
        Response response = connection
                .read(ApiKeys.API_VERSIONS, (short) 0)
                .orElseThrow(() -> new AssertionError("ApiVersions v" + version + " closed the connection"));
        assertThat(response.correlationId()).isEqualTo(7);
        ApiVersionsResponse body = (ApiVersionsResponse) response.body();
        assertThat(Errors.forCode(body.data().errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
        assertThat(body.data().apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion())
                .isEqualTo(max);
        Response retry = connection.roundTrip(ApiKeys.API_VERSIONS, max, 8, apiVersionsRequest());
        assertThat(Errors.forCode(((ApiVersionsResponse) retry.body()).data().errorCode()))
                .isEqualTo(Errors.NONE);
        return 1;
    }

    static ApiVersionsRequestData apiVersionsRequest() {
        return new ApiVersionsRequestData()
                .setClientSoftwareName("tributary-hostile-frames")
                .setClientSoftwareVersion("1.0");
    }

    /** A valid batch with one byte flipped in the CRC or in the bytes it covers. */
    private byte[] badCrcBatch() {
        byte[] batch = validBatch();
        // the CRC (4 bytes at 17) covers everything from the attributes at 21 to the end
        int position = 17 + random.nextInt(batch.length - 17);
        batch[position] ^= (byte) (1 + random.nextInt(255));
        return batch;
    }

    /** A valid batch cut short: its length field promises more than follows. */
    private byte[] truncatedBatch() {
        byte[] batch = validBatch();
        byte[] cut = new byte[1 + random.nextInt(batch.length - 1)];
        System.arraycopy(batch, 0, cut, 0, cut.length);
        return cut;
    }

    private byte[] validBatch() {
        SimpleRecord[] records = new SimpleRecord[1 + random.nextInt(5)];
        for (int i = 0; i < records.length; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), bytes(8), bytes(100));
        }
        ByteBuffer buffer = MemoryRecords.withRecords(Compression.NONE, records).buffer();
        byte[] batch = new byte[buffer.remaining()];
        buffer.get(batch);
        return batch;
    }

    /** Produce (v3 to v12, which name topics) of {@code recordBytes}: refused with CORRUPT_MESSAGE, nothing appended. */
    private int expectProduceError(RawConnection connection, byte[] recordBytes) {
        short version = (short) (3 + random.nextInt(10));
        TopicProduceDataCollection topics = new TopicProduceDataCollection();
        topics.add(new TopicProduceData()
                .setName(crcTopic)
                .setPartitionData(List.of(new PartitionProduceData()
                        .setIndex(0)
                        .setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(recordBytes))))));
        ProduceRequestData request = new ProduceRequestData()
                .setAcks(random.nextBoolean() ? (short) 1 : (short) -1)
                .setTimeoutMs(5_000)
                .setTopicData(topics);
        ProduceResponse response = (ProduceResponse)
                connection.roundTrip(ApiKeys.PRODUCE, version, 3, request).body();
        short error = response.data()
                .responses()
                .iterator()
                .next()
                .partitionResponses()
                .get(0)
                .errorCode();
        assertThat(Errors.forCode(error)).isEqualTo(Errors.CORRUPT_MESSAGE);
        return 1;
    }

    /** A flexible request cut inside an unsigned varint (a compact length or tagged-field count), or with an endless one. */
    private byte[] truncatedVarint() {
        short max = served.get(ApiKeys.API_VERSIONS).maxVersion();
        byte[] header = Frames.header(ApiKeys.API_VERSIONS, max, 1);
        if (random.nextBoolean()) {
            // continuation bits set on every byte: the varint never ends inside the frame
            byte[] varint = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < varint.length; i++) {
                varint[i] = (byte) (0x80 | random.nextInt(0x80));
            }
            return Frames.frame(header, varint);
        }
        byte[] whole = Frames.request(ApiKeys.API_VERSIONS, max, 1, apiVersionsRequest());
        // keep the header and a strict prefix of the body
        int body = whole.length - 4 - header.length;
        byte[] cut = new byte[header.length + random.nextInt(body)];
        System.arraycopy(whole, 4, cut, 0, cut.length);
        return Frames.frame(cut);
    }

    /** A valid header of a read-only API and random bytes: answered (if they happen to parse) or closed. */
    private int garbageBody(RawConnection connection) {
        ApiKeys key = GARBAGE_TARGETS.get(random.nextInt(GARBAGE_TARGETS.size()));
        ApiVersion range = served.get(key);
        short version = (short) (range.minVersion() + random.nextInt(range.maxVersion() - range.minVersion() + 1));
        connection.send(Frames.frame(Frames.header(key, version, 11), bytes(256)));
        answeredOrClosed(connection, key, version, 11);
        return 1;
    }

    /** Random bytes behind a correct size prefix. */
    private int garbageFrame(RawConnection connection) {
        byte[] frame = bytes(300);
        connection.send(Frames.frame(frame));
        Optional<ByteBuffer> response = connection.readFrame();
        if (response.isPresent()) {
            // only a frame that happens to start with a served API's header can be answered
            ByteBuffer request = ByteBuffer.wrap(frame);
            assertThat(frame.length).isGreaterThanOrEqualTo(10);
            short key = request.getShort(0);
            assertThat(ApiKeys.hasId(key) && served.containsKey(ApiKeys.forId(key)))
                    .as("answered API key %s", key)
                    .isTrue();
            assertThat(response.get().getInt(0)).isEqualTo(request.getInt(4));
        }
        return 1;
    }

    private void answeredOrClosed(RawConnection connection, ApiKeys key, short version, int correlationId) {
        connection.readFrame().ifPresent(frame -> {
            Response response = RawConnection.parse(frame, key, version);
            assertThat(response.correlationId()).isEqualTo(correlationId);
        });
    }

    /** A well-formed Metadata request whose size prefix is short of its real size. */
    private byte[] shortSizePrefix() {
        short version = (short) (1 + random.nextInt(served.get(ApiKeys.METADATA).maxVersion()));
        byte[] whole = Frames.request(ApiKeys.METADATA, version, 1, new MetadataRequestData().setTopics(null));
        ByteBuffer.wrap(whole).putInt(whole.length - 4 - 1 - random.nextInt(whole.length - 4));
        return whole;
    }

    /** Hundreds of well-formed requests in one write: all answered, in order. */
    private int pipelinedFlood(RawConnection connection) {
        int count = 50 + random.nextInt(350);
        short version = served.get(ApiKeys.API_VERSIONS).maxVersion();
        connection.send(flood(0, count, version));
        for (int i = 0; i < count; i++) {
            Response response = connection
                    .read(ApiKeys.API_VERSIONS, version)
                    .orElseThrow(() -> new AssertionError("flood connection closed"));
            assertThat(response.correlationId()).isEqualTo(i);
            assertThat(Errors.forCode(
                            ((ApiVersionsResponse) response.body()).data().errorCode()))
                    .isEqualTo(Errors.NONE);
        }
        return 0;
    }

    /** Well-formed requests, one malformed among them: a prefix of the answers in order, then the close. */
    private int floodWithPoison(RawConnection connection) {
        int before = 1 + random.nextInt(100);
        short version = served.get(ApiKeys.API_VERSIONS).maxVersion();
        byte[] good = flood(0, before, version);
        byte[] poison = Frames.frame(Frames.header(unknownApiKey(), 0, before), bytes(16));
        byte[] after = flood(before + 1, 1 + random.nextInt(100), version);
        ByteBuffer all = ByteBuffer.allocate(good.length + poison.length + after.length);
        connection.send(all.put(good).put(poison).put(after).array());
        int answered = 0;
        Optional<ByteBuffer> frame;
        while ((frame = connection.readFrame()).isPresent()) {
            Response response = RawConnection.parse(frame.get(), ApiKeys.API_VERSIONS, version);
            assertThat(response.correlationId()).isEqualTo(answered);
            answered++;
        }
        assertThat(answered)
                .as("nothing after the malformed request is answered")
                .isLessThanOrEqualTo(before);
        return 1;
    }

    private static byte[] flood(int firstCorrelationId, int count, short version) {
        List<byte[]> frames = new ArrayList<>();
        int size = 0;
        for (int i = 0; i < count; i++) {
            ApiMessage body = apiVersionsRequest();
            byte[] frame = Frames.request(ApiKeys.API_VERSIONS, version, firstCorrelationId + i, body);
            frames.add(frame);
            size += frame.length;
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        frames.forEach(all::put);
        return all.array();
    }

    private byte[] bytes(int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }
}
