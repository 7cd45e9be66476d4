package io.tributary.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Fetch answered straight from a log file: the response's records are a {@code FileRecords}
 * slice sent through a file region, read back by a client, twice, and the file stays open.
 */
class ZeroCopyFetchIT {

    private static final Uuid TOPIC_ID = Uuid.fromString("f3iZc2N3QAK4ShkfVTG-SQ");
    private static final int RECORDS_PER_BATCH = 500;

    @TempDir
    Path dir;

    private FileRecords segment;
    private KafkaProtocolServer server;

    @BeforeEach
    void setUp() throws IOException {
        segment = FileRecords.open(dir.resolve("00000000000000000000.log").toFile());
        for (int batch = 0; batch < 2; batch++) {
            int base = batch * RECORDS_PER_BATCH;
            segment.append(MemoryRecords.withRecords(
                    base,
                    Compression.NONE,
                    0,
                    IntStream.range(base, base + RECORDS_PER_BATCH)
                            .mapToObj(i -> new SimpleRecord(("value-" + i).getBytes(StandardCharsets.UTF_8)))
                            .toArray(SimpleRecord[]::new)));
        }
        segment.flush();
        server = ProtocolTestSupport.startLoopbackServer(new FileFetchHandler(segment));
    }

    @AfterEach
    void tearDown() throws IOException {
        server.close();
        segment.close();
    }

    @Test
    void shouldServeRecordsFromTheFileRepeatedly() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(10_000);

            for (short version : new short[] {12, 12, ApiKeys.FETCH.latestVersion(false)}) {
                FetchResponseData.PartitionData partition = fetch(socket, version);

                assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
                assertThat(values(FetchResponse.recordsOrFail(partition)))
                        .hasSize(2 * RECORDS_PER_BATCH)
                        .startsWith("value-0", "value-1")
                        .endsWith("value-" + (2 * RECORDS_PER_BATCH - 1));
            }
        }
        assertThat(segment.channel().isOpen())
                .as("a sent file region must not close the segment")
                .isTrue();
    }

    private static int correlationId;

    private static FetchResponseData.PartitionData fetch(Socket socket, short version) throws IOException {
        int correlation = ++correlationId;
        ByteBuffer request = ProtocolTestSupport.frame(
                FetchRequest.Builder.forConsumer(version, 100, 1, Map.of()).build(version), correlation);
        socket.getOutputStream().write(request.array(), request.position(), request.remaining());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        ProtocolTestSupport.ResponseFrame response = new ProtocolTestSupport.ResponseFrame(ByteBuffer.wrap(frame));
        assertThat(response.correlationId()).isEqualTo(correlation);
        FetchResponse fetch = (FetchResponse) response.parse(ApiKeys.FETCH, version);
        return fetch.data().responses().get(0).partitions().get(0);
    }

    private static List<String> values(Records records) {
        List<String> values = new ArrayList<>();
        for (Record record : records.records()) {
            values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
        }
        return values;
    }

    /** Answers every Fetch with the whole segment as partition 0 of one topic. */
    record FileFetchHandler(FileRecords segment) implements ApiHandler {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.FETCH;
        }

        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
                    .setPartitions(List.of(new FetchResponseData.PartitionData()
                            .setPartitionIndex(0)
                            .setHighWatermark(2 * RECORDS_PER_BATCH)
                            .setLastStableOffset(2 * RECORDS_PER_BATCH)
                            .setLogStartOffset(0)
                            .setRecords(segment.slice(0, segment.sizeInBytes()))));
            // v13+ names topics by id only
            if (request.apiVersion() >= 13) {
                topic.setTopicId(TOPIC_ID);
            } else {
                topic.setTopic("orders");
            }
            return HandlerResult.completed(FetchResponse.of(new FetchResponseData().setResponses(List.of(topic))));
        }
    }
}
