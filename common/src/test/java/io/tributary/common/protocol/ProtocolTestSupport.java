package io.tributary.common.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.tributary.common.protocol.internal.network.ProtocolChannelInitializer;
import io.tributary.common.protocol.internal.network.ServerCounters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/** Test helpers: request frames from kafka-clients builders, and reading responses back. */
public final class ProtocolTestSupport {

    public static final String CLIENT_ID = "test-client";

    private ProtocolTestSupport() {}

    /** A started server on a free loopback port with one I/O thread, serving {@code handlers}. */
    public static KafkaProtocolServer startLoopbackServer(ApiHandler... handlers) {
        ApiHandlerRegistry.Builder registry = ApiHandlerRegistry.builder();
        for (ApiHandler handler : handlers) {
            registry.register(handler);
        }
        KafkaProtocolServer server =
                new KafkaProtocolServer(ProtocolServerConfig.of("127.0.0.1", 0).withIoThreads(1), registry.build());
        server.start();
        return server;
    }

    /** A request serialised as the client would: size prefix, header, body. */
    public static ByteBuffer frame(AbstractRequest request, int correlationId) {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), CLIENT_ID, correlationId);
        ByteBuffer body = request.serializeWithHeader(header);
        ByteBuffer framed = ByteBuffer.allocate(4 + body.remaining());
        framed.putInt(body.remaining()).put(body).flip();
        return framed;
    }

    public static ByteBuf frameBuf(AbstractRequest request, int correlationId) {
        return Unpooled.wrappedBuffer(frame(request, correlationId));
    }

    /** An embedded channel with the full server pipeline. */
    public static EmbeddedChannel embedded(
            ApiHandlerRegistry registry, ServerCounters counters, List<ConnectionListener> listeners, int maxInFlight) {
        return embedded(registry, counters, RequestMetrics.NONE, listeners, maxInFlight);
    }

    /** An embedded channel with the full server pipeline, measuring its requests with {@code metrics}. */
    public static EmbeddedChannel embedded(ApiHandlerRegistry registry, RequestMetrics metrics) {
        return embedded(
                registry,
                new ServerCounters(),
                metrics,
                List.of(),
                ProtocolServerConfig.DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION);
    }

    /** An embedded channel with the full server pipeline, counting into {@code counters} and {@code metrics}. */
    public static EmbeddedChannel embedded(
            ApiHandlerRegistry registry,
            ServerCounters counters,
            RequestMetrics metrics,
            List<ConnectionListener> listeners,
            int maxInFlight) {
        return new EmbeddedChannel(new ProtocolChannelInitializer(
                registry,
                counters,
                metrics,
                new CopyOnWriteArrayList<>(listeners),
                ProtocolServerConfig.of("127.0.0.1", 0)
                        .withMaxRequestBytes(1024 * 1024)
                        .withMaxInFlightPerConnection(maxInFlight),
                null));
    }

    public static EmbeddedChannel embedded(ApiHandlerRegistry registry) {
        return embedded(registry, new ServerCounters(), List.of(), 32);
    }

    /** Drains every outbound message (byte buffers and file regions) into one byte array, releasing them. */
    public static ByteBuffer drainOutbound(EmbeddedChannel channel) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WritableByteChannel sink = Channels.newChannel(bytes);
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            try {
                if (msg instanceof ByteBuf buf) {
                    byte[] copy = new byte[buf.readableBytes()];
                    buf.readBytes(copy);
                    bytes.write(copy, 0, copy.length);
                } else if (msg instanceof FileRegion region) {
                    while (region.transferred() < region.count()) {
                        region.transferTo(sink, region.transferred());
                    }
                } else {
                    throw new AssertionError("unexpected outbound message " + msg);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    /** Splits size-prefixed response frames. */
    public static List<ResponseFrame> splitFrames(ByteBuffer bytes) {
        List<ResponseFrame> frames = new ArrayList<>();
        while (bytes.remaining() >= 4) {
            int size = bytes.getInt();
            ByteBuffer frame = bytes.slice();
            frame.limit(size);
            bytes.position(bytes.position() + size);
            frames.add(new ResponseFrame(frame));
        }
        if (bytes.hasRemaining()) {
            throw new AssertionError(bytes.remaining() + " trailing bytes");
        }
        return frames;
    }

    public static List<ResponseFrame> responses(EmbeddedChannel channel) {
        return splitFrames(drainOutbound(channel));
    }

    /** One response frame (without its size prefix). */
    public record ResponseFrame(ByteBuffer bytes) {

        /** The correlation id, which every response header starts with. */
        public int correlationId() {
            return bytes.getInt(0);
        }

        /** Parses the header and body at {@code version}, with the header version the client would use. */
        public AbstractResponse parse(ApiKeys apiKey, short version) {
            ByteBuffer buffer = bytes.duplicate();
            short headerVersion = apiKey == ApiKeys.API_VERSIONS ? 0 : apiKey.responseHeaderVersion(version);
            ResponseHeader.parse(buffer, headerVersion);
            AbstractResponse response = AbstractResponse.parseResponse(apiKey, new ByteBufferAccessor(buffer), version);
            if (buffer.hasRemaining()) {
                throw new AssertionError(buffer.remaining() + " unread bytes in " + apiKey + " v" + version);
            }
            return response;
        }
    }
}
