package io.tributary.common.protocol.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * Adapts kafka-clients' {@link TransferableChannel} (what a {@code Send} writes itself to) to a
 * list of Netty messages, which is how a kafka-clients response is written through Netty
 * without copying record data:
 * <ul>
 *   <li>{@code write(ByteBuffer...)} wraps the buffers as {@code ByteBuf}s (no copy: the
 *   buffers are the response's own serialisation or immutable record bytes) and marks them
 *   consumed;</li>
 *   <li>{@code transferFrom(FileChannel, position, count)} (how {@code FileRecords} writes
 *   itself) becomes a {@link NonClosingFileRegion}, which the NIO transport sends with
 *   {@code sendfile} and whose release leaves the segment's channel open.</li>
 * </ul>
 * Without zero-copy (a TLS connection, whose bytes must pass through the {@code SslHandler}),
 * {@code transferFrom} reads the file range into a heap buffer instead.
 *
 * <p>It accepts everything at once, so a {@code Send} completes in one {@code writeTo}; flow
 * control happens later, in Netty's outbound buffer.
 *
 * <p>One instance per encoded response; not thread-safe.
 */
final class NettyTransferableChannel implements TransferableChannel {

    private final List<Object> out;
    private final boolean zeroCopy;

    NettyTransferableChannel(List<Object> out, boolean zeroCopy) {
        this.out = out;
        this.zeroCopy = zeroCopy;
    }

    @Override
    public int write(ByteBuffer src) {
        int bytes = src.remaining();
        if (bytes > 0) {
            out.add(Unpooled.wrappedBuffer(src.slice()));
            src.position(src.limit());
        }
        return bytes;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
        }
        return total;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
        if (count <= 0) {
            return count;
        }
        if (zeroCopy) {
            out.add(new NonClosingFileRegion(fileChannel, position, count));
            return count;
        }
        ByteBuf copy = Unpooled.buffer(Math.toIntExact(count));
        out.add(copy); // added first so that a failed read is released with the other parts
        while (copy.isWritable()) {
            int read = copy.writeBytes(fileChannel, position + copy.writerIndex(), copy.writableBytes());
            if (read < 0) {
                throw new EOFException("Segment file ended " + copy.writableBytes() + " bytes before "
                        + (position + count) + " while copying records for a TLS response");
            }
        }
        return count;
    }

    @Override
    public boolean hasPendingWrites() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
        // nothing to close: the Netty channel's life is managed by the pipeline
    }
}
