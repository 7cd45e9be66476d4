package io.tributary.common.protocol.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.tributary.common.protocol.ConnectionInfo;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frame → {@link io.tributary.common.protocol.DecodedRequest}. Copies the frame out of the
 * pooled buffer first (parsed messages keep slices of their input, and a Produce request's
 * records may outlive this read by seconds when parked for {@code acks=all}), then releases
 * the pooled buffer, then parses with {@link RequestParser}.
 *
 * <p>A frame that cannot be served is logged once (WARN, with the peer and the reason) and the
 * connection closed; frames already read behind it are dropped.
 *
 * <p>One instance per channel; runs on its event loop.
 */
public final class KafkaRequestDecoder extends MessageToMessageDecoder<ByteBuf> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestDecoder.class);

    private final RequestParser parser;
    private final ServerCounters counters;
    private boolean rejected;

    KafkaRequestDecoder(RequestParser parser, ServerCounters counters) {
        super(ByteBuf.class);
        this.parser = parser;
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        // MessageToMessageDecoder releases the frame after this returns
        if (rejected) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(frame.readableBytes());
        frame.readBytes(copy);
        copy.flip();
        ConnectionInfo connection = ConnectionTracker.connectionOf(ctx.channel());
        try {
            out.add(parser.parse(copy, connection));
        } catch (RequestRejectedException e) {
            rejected = true;
            counters.connectionRejected();
            LOG.warn(
                    "Closing connection {} from {}: {}",
                    connection.connectionId(),
                    connection.remoteAddress(),
                    e.getMessage());
            ctx.close();
        }
    }
}
