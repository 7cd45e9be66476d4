package io.tributary.common.protocol;

import static io.tributary.common.protocol.ProtocolTestSupport.embedded;
import static io.tributary.common.protocol.ProtocolTestSupport.frameBuf;
import static io.tributary.common.protocol.ProtocolTestSupport.responses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tributary.common.protocol.ProtocolTestSupport.ResponseFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiVersionsHandlerTest {

    private static final short API_VERSIONS_MAX = ApiKeys.API_VERSIONS.latestVersion(false);

    private final ApiHandlerRegistry registry = ApiHandlerRegistry.builder()
            .register(new Fixed(ApiKeys.METADATA, (short) 4, (short) 12))
            .register(new Fixed(ApiKeys.PRODUCE, (short) 3, (short) 12))
            .build();
    private final EmbeddedChannel channel = embedded(registry);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldAdvertiseExactlyTheRegisteredApisAtEverySupportedVersion() {
        for (short version = 0; version <= API_VERSIONS_MAX; version++) {
            channel.writeInbound(frameBuf(new ApiVersionsRequest.Builder().build(version), version));

            ApiVersionsResponse response = (ApiVersionsResponse) single().parse(ApiKeys.API_VERSIONS, version);

            assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(response.data().apiKeys())
                    .extracting(ApiVersion::apiKey, ApiVersion::minVersion, ApiVersion::maxVersion)
                    .containsExactlyInAnyOrder(
                            tuple(ApiKeys.PRODUCE.id, (short) 0, (short) 12), // min 0 for librdkafka, KAFKA-18659
                            tuple(ApiKeys.METADATA.id, (short) 4, (short) 12),
                            tuple(ApiKeys.API_VERSIONS.id, (short) 0, API_VERSIONS_MAX));
        }
    }

    @Test
    void shouldAnswerV0UnsupportedVersionToATooNewApiVersionsRequest() {
        // header v2 (flexible) as a future client would send it, then a body we must not parse
        byte[] clientId = "future".getBytes(StandardCharsets.UTF_8);
        ByteBuf body = Unpooled.buffer();
        body.writeShort(ApiKeys.API_VERSIONS.id)
                .writeShort(99)
                .writeInt(42)
                .writeShort(clientId.length)
                .writeBytes(clientId)
                .writeByte(0) // no tagged fields
                .writeBytes(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef});
        ByteBuf frame = Unpooled.buffer().writeInt(body.readableBytes()).writeBytes(body);
        body.release();

        channel.writeInbound(frame);

        ResponseFrame reply = single();
        assertThat(reply.bytes().remaining())
                .isEqualTo(16); // correlation id, error, [18: min-max]: the spike's 16 bytes
        ApiVersionsResponse response = (ApiVersionsResponse) reply.parse(ApiKeys.API_VERSIONS, (short) 0);
        assertThat(reply.correlationId()).isEqualTo(42);
        assertThat(response.data().errorCode())
                .isEqualTo(Errors.UNSUPPORTED_VERSION.code())
                .isEqualTo((short) 35);
        assertThat(response.data().apiKeys())
                .extracting(ApiVersion::apiKey, ApiVersion::minVersion, ApiVersion::maxVersion)
                .containsExactly(tuple((short) 18, (short) 0, API_VERSIONS_MAX));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void shouldAnswerInvalidRequestToAnInvalidClientSoftwareName() {
        short version = 3;
        channel.writeInbound(frameBuf(
                new ApiVersionsRequest(
                        new ApiVersionsRequestData()
                                .setClientSoftwareName("not valid!")
                                .setClientSoftwareVersion("1.0"),
                        version),
                1));

        ApiVersionsResponse response = (ApiVersionsResponse) single().parse(ApiKeys.API_VERSIONS, version);
        assertThat(response.data().errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void shouldAdvertiseTheGivenFeaturesToV3AndNoneWithoutThem() {
        ApiHandlerRegistry withFeatures = ApiHandlerRegistry.builder()
                .features(new ApiFeatures(
                        List.of(new ApiFeatures.Feature("transaction.version", (short) 0, (short) 2, (short) 2)), 1L))
                .build();
        EmbeddedChannel featured = embedded(withFeatures);
        try {
            featured.writeInbound(frameBuf(new ApiVersionsRequest.Builder().build((short) 3), (short) 3));
            ApiVersionsResponse response =
                    (ApiVersionsResponse) responses(featured).get(0).parse(ApiKeys.API_VERSIONS, (short) 3);

            assertThat(response.data().finalizedFeaturesEpoch()).isEqualTo(1L);
            assertThat(response.data().finalizedFeatures().find("transaction.version"))
                    .extracting(f -> f.minVersionLevel(), f -> f.maxVersionLevel())
                    .containsExactly((short) 2, (short) 2);
            assertThat(response.data().supportedFeatures().find("transaction.version"))
                    .extracting(f -> f.minVersion(), f -> f.maxVersion())
                    .containsExactly((short) 0, (short) 2);
        } finally {
            featured.finishAndReleaseAll();
        }

        channel.writeInbound(frameBuf(new ApiVersionsRequest.Builder().build((short) 3), (short) 3));
        ApiVersionsResponse plain = (ApiVersionsResponse) single().parse(ApiKeys.API_VERSIONS, (short) 3);
        assertThat(plain.data().finalizedFeatures()).isEmpty();
        assertThat(plain.data().finalizedFeaturesEpoch()).isEqualTo(-1L);
    }

    @Test
    void shouldFailFastOnARangeOutsideWhatKafkaClientsSupports() {
        ApiHandlerRegistry.Builder builder = ApiHandlerRegistry.builder();

        assertThatThrownBy(() -> builder.register(new Fixed(ApiKeys.PRODUCE, (short) 0, (short) 12)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PRODUCE v0-12");
        assertThatThrownBy(() -> builder.register(
                        new Fixed(ApiKeys.FETCH, (short) 4, (short) (ApiKeys.FETCH.latestVersion(true) + 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.register(new Fixed(ApiKeys.FETCH, (short) 9, (short) 8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.register(new Fixed(ApiKeys.LEADER_AND_ISR, (short) 0, (short) 0)))
                .isInstanceOf(IllegalArgumentException.class);
        builder.register(new Fixed(ApiKeys.FETCH, (short) 4, (short) 12));
        assertThatThrownBy(() -> builder.register(new Fixed(ApiKeys.FETCH, (short) 4, (short) 12)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Two handlers");
    }

    private ResponseFrame single() {
        List<ResponseFrame> frames = responses(channel);
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }

    /** A registered range with no behaviour. */
    record Fixed(ApiKeys apiKey, short minVersion, short maxVersion) implements ApiHandler {
        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            return new CompletableFuture<>();
        }
    }
}
