package io.tributary.common.protocol.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * <p>Slow senders: a frame must arrive whole within {@code partialFrameTimeout}
 * ({@code connections.max.idle.ms}) of its first byte, else the connection is closed with one
 * WARN line. Kafka only closes a connection that sent nothing for that long, so a peer dripping
 * one byte a minute holds a Kafka connection (and a buffer) for ever; real clients write a
 * request in one go. The clock does not run while the server itself stopped reading
 * (back-pressure), because then the missing bytes are not the peer's fault.
 *
 * <p>One instance per channel; runs on its event loop.
 */
public final class KafkaFrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameDecoder.class);
    private static final int SIZE_PREFIX_BYTES = Integer.BYTES;
    private static final Duration DEFAULT_PARTIAL_FRAME_TIMEOUT = Duration.ofMinutes(10);

    private final int maxFrameBytes;
    private final long partialFrameTimeoutNanos;
    private final ServerCounters counters;
    private boolean rejected;
    /** {@link System#nanoTime()} when the bytes now waiting for the rest of their frame began; -1 if none wait. */
    private long partialSince = -1;
    /** The one pending check of {@link #partialSince}, or {@code null}. */
    private ScheduledFuture<?> partialCheck;
    /** Whether the current read completed a frame, so bytes left after it start a new one. */
    private boolean frameCompleted;

    KafkaFrameDecoder(int maxFrameBytes, ServerCounters counters) {
        this(maxFrameBytes, DEFAULT_PARTIAL_FRAME_TIMEOUT, counters);
    }

    KafkaFrameDecoder(int maxFrameBytes, Duration partialFrameTimeout, ServerCounters counters) {
        this.maxFrameBytes = maxFrameBytes;
        this.partialFrameTimeoutNanos = partialFrameTimeout.toNanos();
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected || !ctx.channel().isActive()) {
            // closed, here or by a later handler refusing an earlier frame of this read: one WARN is enough
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        if (size < 0 || size > maxFrameBytes) {
            reject(ctx, "request size " + size + " is outside 0.." + maxFrameBytes + " (socket.request.max.bytes)");
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES + size) {
            return;
        }
        in.skipBytes(SIZE_PREFIX_BYTES);
        out.add(in.readRetainedSlice(size));
        frameCompleted = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        frameCompleted = false;
        super.channelRead(ctx, msg);
        if (rejected || actualReadableBytes() == 0) {
            partialSince = -1;
        } else if (partialSince < 0 || frameCompleted) {
            partialSince = System.nanoTime();
            if (partialCheck == null) {
                schedulePartialCheck(ctx, partialFrameTimeoutNanos);
            }
        }
    }

    private void schedulePartialCheck(ChannelHandlerContext ctx, long delayNanos) {
        partialCheck = ctx.executor().schedule(() -> checkPartialFrame(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Runs on the event loop; one check is pending at a time, so a busy connection schedules rarely. */
    private void checkPartialFrame(ChannelHandlerContext ctx) {
        partialCheck = null;
        if (partialSince < 0 || rejected || !ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (!ctx.channel().config().isAutoRead()) {
            // back-pressure: we are not reading, so the clock restarts when we read again
            partialSince = now;
        }
        long age = now - partialSince;
        if (age < partialFrameTimeoutNanos) {
            schedulePartialCheck(ctx, partialFrameTimeoutNanos - age);
            return;
        }
        rejectPartialFrame(ctx, age);
    }

    /**
     * A connection idle for {@code connections.max.idle.ms} with part of a frame waiting is the
     * slow sender this class reports; the idle timer and the partial-frame check fire at about the
     * same moment, so the idle event is answered here (with the frame's numbers) rather than
     * passed on to the dispatcher's plain idle close.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent
                && partialSince >= 0
                && !rejected
                && ctx.channel().isActive()) {
            rejectPartialFrame(ctx, System.nanoTime() - partialSince);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    private void rejectPartialFrame(ChannelHandlerContext ctx, long age) {
        ByteBuf partial = internalBuffer();
        String promised = partial.readableBytes() >= SIZE_PREFIX_BYTES
                ? " of " + (SIZE_PREFIX_BYTES + partial.getInt(partial.readerIndex()))
                : "";
        String reason = "only " + partial.readableBytes() + promised + " bytes of a request arrived in "
                + Duration.ofNanos(age).toMillis() + " ms (connections.max.idle.ms="
                + Duration.ofNanos(partialFrameTimeoutNanos).toMillis() + ")";
        // discard before closing: the close may release the buffer at once
        partial.skipBytes(partial.readableBytes());
        reject(ctx, reason);
    }

    private void reject(ChannelHandlerContext ctx, String reason) {
        rejected = true;
        partialSince = -1;
        counters.connectionRejected();
        LOG.warn("Closing connection from {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (partialCheck != null) {
            partialCheck.cancel(false);
            partialCheck = null;
        }
        super.channelInactive(ctx);
    }
}
