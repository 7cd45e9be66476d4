package io.tributary.common.protocol.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into Kafka frames: an int32 big-endian size (not counting itself)
 * followed by that many bytes. Emits each frame, without the prefix, as a retained slice of
 * the cumulation buffer; the next handler owns (and must release) it.
 *
 * <p>Exact consumption: a partial frame waits for more bytes; several pipelined frames in one
 * read come out one by one, each consuming exactly {@code 4 + size} bytes.
 *
 * <p>A negative size or one above {@code socket.request.max.bytes} is a broken or hostile
 * peer: one WARN line naming the peer and the size, the connection is closed and any further
 * input discarded. Kafka does the same ({@code InvalidReceiveException}); other connections
 * are unaffected.
 *
 * <p>One instance per channel; runs on its event loop.
 */
public final class KafkaFrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameDecoder.class);
    private static final int SIZE_PREFIX_BYTES = Integer.BYTES;

    private final int maxFrameBytes;
    private final ServerCounters counters;
    private boolean rejected;

    KafkaFrameDecoder(int maxFrameBytes, ServerCounters counters) {
        this.maxFrameBytes = maxFrameBytes;
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        if (size < 0 || size > maxFrameBytes) {
            rejected = true;
            counters.connectionRejected();
            LOG.warn(
                    "Closing connection from {}: request size {} is outside 0..{} (socket.request.max.bytes)",
                    ctx.channel().remoteAddress(),
                    size,
                    maxFrameBytes);
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES + size) {
            return;
        }
        in.skipBytes(SIZE_PREFIX_BYTES);
        out.add(in.readRetainedSlice(size));
    }
}
