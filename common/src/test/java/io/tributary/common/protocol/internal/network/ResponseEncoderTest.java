package io.tributary.common.protocol.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.ProtocolTestSupport;
import io.tributary.common.protocol.ProtocolTestSupport.ResponseFrame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseEncoderTest {

    @TempDir
    Path dir;

    @Test
    void shouldSendFileRecordsAsAFileRegionThatLeavesTheFileOpen() throws IOException {
        try (FileRecords segment = FileRecords.open(dir.resolve("0.log").toFile())) {
            segment.append(MemoryRecords.withRecords(
                    Compression.NONE, new SimpleRecord("a".getBytes()), new SimpleRecord("b".getBytes())));
            short version = 12;
            FetchResponse response = FetchResponse.of(new FetchResponseData()
                    .setResponses(List.of(new FetchResponseData.FetchableTopicResponse()
                            .setTopic("t")
                            .setPartitions(List.of(new FetchResponseData.PartitionData()
                                    .setPartitionIndex(0)
                                    .setRecords(segment.slice(0, segment.sizeInBytes())))))));
            EmbeddedChannel channel = new EmbeddedChannel(new ResponseEncoder(true));

            for (int correlationId = 1; correlationId <= 2; correlationId++) {
                channel.writeOutbound(new OutboundResponse(request(ApiKeys.FETCH, version, correlationId), response));

                List<Object> parts = peekOutbound(channel);
                assertThat(parts).hasAtLeastOneElementOfType(FileRegion.class);
                ResponseFrame frame = ProtocolTestSupport.splitFrames(ProtocolTestSupport.drainOutbound(channel))
                        .get(0);
                assertThat(frame.correlationId()).isEqualTo(correlationId);
                FetchResponse parsed = (FetchResponse) frame.parse(ApiKeys.FETCH, version);
                assertThat(FetchResponse.recordsSize(
                                parsed.data().responses().get(0).partitions().get(0)))
                        .isEqualTo(segment.sizeInBytes());
                assertThat(segment.channel().isOpen()).isTrue();
            }
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void shouldUseHeaderV0ForApiVersionsAndTheFlexibleHeaderOtherwise() {
        assertThat(ResponseEncoder.responseHeaderVersion(ApiKeys.API_VERSIONS, (short) 4))
                .isZero();
        assertThat(ResponseEncoder.responseHeaderVersion(ApiKeys.HEARTBEAT, (short) 4))
                .isEqualTo((short) 1);
        assertThat(ResponseEncoder.responseHeaderVersion(ApiKeys.HEARTBEAT, (short) 3))
                .isZero();

        EmbeddedChannel channel = new EmbeddedChannel(new ResponseEncoder(true));
        channel.writeOutbound(new OutboundResponse(
                request(ApiKeys.HEARTBEAT, (short) 4, 5),
                new HeartbeatResponse(new HeartbeatResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()))));
        HeartbeatResponse parsed =
                (HeartbeatResponse) ProtocolTestSupport.splitFrames(ProtocolTestSupport.drainOutbound(channel))
                        .get(0)
                        .parse(ApiKeys.HEARTBEAT, (short) 4);
        assertThat(parsed.error()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        channel.finishAndReleaseAll();
    }

    private static List<Object> peekOutbound(EmbeddedChannel channel) {
        List<Object> parts = new ArrayList<>();
        for (Object part : channel.outboundMessages()) {
            assertThat(part).isInstanceOfAny(ByteBuf.class, FileRegion.class);
            parts.add(part);
        }
        return parts;
    }

    private static DecodedRequest request(ApiKeys key, short version, int correlationId) {
        return new DecodedRequest(
                new RequestHeader(key, version, "c", correlationId),
                key,
                version,
                key == ApiKeys.FETCH
                        ? FetchRequest.Builder.forConsumer(version, 1, 1, java.util.Map.of())
                                .build(version)
                        : new org.apache.kafka.common.requests.HeartbeatRequest.Builder(
                                        new org.apache.kafka.common.message.HeartbeatRequestData())
                                .build(version),
                "c",
                new InetSocketAddress("127.0.0.1", 1),
                "conn-1",
                0);
    }
}
