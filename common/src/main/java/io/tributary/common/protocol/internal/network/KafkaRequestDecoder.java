package io.tributary.common.protocol.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.tributary.common.protocol.ConnectionInfo;
import io.tributary.common.protocol.RequestBuffer;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frame → {@link io.tributary.common.protocol.DecodedRequest}, parsed with {@link RequestParser}.
 *
 * <p>Parsed messages keep slices of their input, and a Produce request's records may outlive this
 * read by seconds when parked for {@code acks=all}. So every frame but a Produce one is copied out
 * of the pooled buffer, which is released at once. A Produce frame is parsed in place: its records
 * are most of the bytes the broker receives, and a copy would cost an allocation and two passes
 * over them (into the heap here, and back into a direct buffer when the log writes them). The
 * request keeps the frame as its {@link RequestBuffer}, released by the dispatcher and by handlers
 * that retained it (see {@link io.tributary.common.protocol.DecodedRequest}).
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
        ConnectionInfo connection = ConnectionTracker.connectionOf(ctx.channel());
        try {
            if (parsesInPlace(frame)) {
                out.add(parseInPlace(frame, connection));
            } else {
                out.add(parser.parse(heapCopy(frame), connection));
            }
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

    /** A Produce frame in one piece of memory (a frame from a composite buffer is copied). */
    private static boolean parsesInPlace(ByteBuf frame) {
        return frame.readableBytes() >= Short.BYTES
                && frame.getShort(frame.readerIndex()) == ApiKeys.PRODUCE.id
                && frame.nioBufferCount() == 1;
    }

    private Object parseInPlace(ByteBuf frame, ConnectionInfo connection) {
        ByteBuffer view = frame.nioBuffer();
        frame.retain();
        try {
            return parser.parse(view, connection, new FrameBuffer(frame));
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
    }

    private static ByteBuffer heapCopy(ByteBuf frame) {
        ByteBuffer copy = ByteBuffer.allocate(frame.readableBytes());
        frame.readBytes(copy);
        return copy.flip();
    }

    /** A request's frame, counted by Netty's own reference count. */
    private record FrameBuffer(ByteBuf frame) implements RequestBuffer {

        @Override
        public void retain() {
            frame.retain();
        }

        @Override
        public void release() {
            frame.release();
        }
    }
}
