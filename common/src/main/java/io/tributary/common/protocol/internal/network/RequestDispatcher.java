package io.tributary.common.protocol.internal.network;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.EventExecutor;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.ErrorMapper;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.protocol.HandlerResult.CloseConnection;
import io.tributary.common.protocol.HandlerResult.Respond;
import io.tributary.common.protocol.RequestMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each {@link DecodedRequest} to its {@link ApiHandler} and writes the outcomes back in
 * request order.
 *
 * <p>Ordering: Kafka clients match responses to requests by position (their in-flight queue),
 * so a response may only be written once every earlier request on the connection has been
 * answered, even when handlers complete out of order (a parked Fetch before a quick Metadata).
 * Each request takes a slot at the tail of a per-connection FIFO; a completed slot waits until
 * it reaches the head. A request that gets no response ({@code acks=0}) still takes a slot,
 * freed without writing when it reaches the head.
 *
 * <p>Failures: a handler that throws or fails its future gets an error response through the
 * {@link ErrorMapper} (which logs unexpected failures once). An {@code acks=0} request cannot be
 * answered, so its failure closes the connection after the earlier responses, as Kafka does.
 *
 * <p>Back-pressure: the server stops reading from the connection while
 * {@code maxInFlight} requests await their responses or while Netty's outbound buffer is above
 * its high-water mark (a slow reader of large Fetch responses), and resumes once both clear.
 *
 * <p>Throttling (KIP-219): a response that carries a {@code throttle_time_ms} goes out at once,
 * and the server then reads nothing more from the connection for that long, so a client over its
 * quota is held back even if it ignored the throttle time it was told (kafka-clients wait too).
 *
 * <p>Metrics: each request's time runs from its slot being taken to its response being written
 * to the socket (the write's completion), so it includes time parked by its handler and time
 * waiting behind earlier responses, as Kafka's {@code TotalTimeMs}; {@link RequestMetrics} also
 * sees the error codes of every response before it is written.
 *
 * <p>Idle: an idle event closes the connection only if no request is in progress, so a long
 * poll never counts as idleness.
 *
 * <p>One instance per channel. All state is touched only on the channel's event loop: futures
 * completed elsewhere hop back to it before their slot is touched. When the connection closes,
 * pending futures are cancelled.
 */
public final class RequestDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final ApiHandlerRegistry registry;
    private final ErrorMapper errorMapper;
    private final RequestMetrics metrics;
    private final int maxInFlight;
    private final Duration idleTimeout;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean closed;
    /** {@link System#nanoTime()} until which reads stay off for a throttled client. */
    private long mutedUntilNanos;

    private boolean muted;

    RequestDispatcher(
            ApiHandlerRegistry registry,
            ErrorMapper errorMapper,
            RequestMetrics metrics,
            int maxInFlight,
            Duration idleTimeout) {
        this.registry = registry;
        this.errorMapper = errorMapper;
        this.metrics = metrics;
        this.maxInFlight = maxInFlight;
        this.idleTimeout = idleTimeout;
    }

    /** One request's place in the response order. */
    private static final class Slot {
        final DecodedRequest request;
        /** {@link System#nanoTime()} when the dispatcher took the request. */
        final long startNanos = System.nanoTime();

        CompletableFuture<HandlerResult> future;
        /** Set on the event loop once the handler is done; {@code null} while in progress. */
        HandlerResult outcome;

        Slot(DecodedRequest request) {
            this.request = request;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DecodedRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closed) {
            request.releaseBuffer();
            return;
        }
        Slot slot = new Slot(request);
        slots.addLast(slot);
        updateReading();
        slot.future = registry.invoke(request);
        EventExecutor loop = ctx.executor();
        slot.future.whenComplete((result, failure) -> {
            if (loop.inEventLoop()) {
                complete(slot, result, failure);
            } else {
                try {
                    loop.execute(() -> complete(slot, result, failure));
                } catch (RejectedExecutionException e) {
                    LOG.debug("Server shutting down: dropping the response to {}", slot.request.describe());
                }
            }
        });
    }

    private void complete(Slot slot, HandlerResult result, Throwable failure) {
        if (closed) {
            return;
        }
        slot.outcome = resolve(slot.request, result, failure);
        drain();
    }

    private HandlerResult resolve(DecodedRequest request, HandlerResult result, Throwable failure) {
        if (failure == null) {
            failure = HandlerResult.unwritable(request, result);
        }
        if (failure != null) {
            HandlerResult errorResult = errorResult(request, failure);
            return request.expectsResponse()
                    ? errorResult
                    : HandlerResult.closeConnection(
                            request.describe() + " (acks=0) failed with " + errorMapper.toErrors(failure));
        }
        if (!request.expectsResponse() && result instanceof Respond) {
            // the client does not wait for it: writing it would break its response matching
            return HandlerResult.noResponse();
        }
        return result;
    }

    private HandlerResult errorResult(DecodedRequest request, Throwable failure) {
        try {
            return HandlerResult.respond(errorMapper.errorResponse(request, failure));
        } catch (RuntimeException e) {
            LOG.error("Cannot build the {} error response for {}", Errors.UNKNOWN_SERVER_ERROR, request.describe(), e);
            return HandlerResult.closeConnection("no error response for " + request.describe());
        }
    }

    /** Writes every completed slot at the head of the queue, then flushes once. */
    private void drain() {
        boolean wrote = false;
        while (!slots.isEmpty() && slots.peekFirst().outcome != null) {
            Slot slot = slots.pollFirst();
            // the response is encoded by now, and handlers that use the body later retained it
            if (slot.outcome instanceof Respond respond) {
                write(slot, respond);
                slot.request.releaseBuffer();
                wrote = true;
                continue;
            }
            slot.request.releaseBuffer();
            metrics.requestCompleted(slot.request, System.nanoTime() - slot.startNanos);
            if (slot.outcome instanceof CloseConnection close) {
                LOG.debug("Closing connection {}: {}", slot.request.connectionId(), close.reason());
                shutDown();
                // the empty write completes after every earlier write, so they all reach the client
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        if (wrote) {
            ctx.flush();
        }
        updateReading();
    }

    private void write(Slot slot, Respond respond) {
        DecodedRequest request = slot.request;
        long startNanos = slot.startNanos;
        muteFor(respond.response().throttleTimeMs());
        metrics.responseErrors(request, respond.response());
        ctx.write(new OutboundResponse(request, respond.response())).addListener(future -> {
            if (future.isSuccess()) {
                // the bytes are in the socket: Kafka stops its TotalTimeMs at the same point
                metrics.requestCompleted(request, System.nanoTime() - startNanos);
            } else if (ctx.channel().isActive()) {
                LOG.error(
                        "Cannot write the response to {}; closing the connection", request.describe(), future.cause());
                ctx.close();
            }
        });
    }

    /** Stops reading for {@code throttleMs} (never shortening a mute already in force). */
    private void muteFor(int throttleMs) {
        if (throttleMs <= 0) {
            return;
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(throttleMs);
        if (!muted || until - mutedUntilNanos > 0) {
            mutedUntilNanos = until;
            muted = true;
            ctx.executor().schedule(this::updateReading, throttleMs, TimeUnit.MILLISECONDS);
        }
    }

    private void updateReading() {
        ChannelConfig config = ctx.channel().config();
        if (muted && System.nanoTime() - mutedUntilNanos >= 0) {
            muted = false;
        }
        boolean read =
                !closed && !muted && slots.size() < maxInFlight && ctx.channel().isWritable();
        if (config.isAutoRead() != read) {
            config.setAutoRead(read);
        }
    }

    /** Stops dispatching and cancels what is still pending; the slots' outcomes are dropped. */
    private void shutDown() {
        closed = true;
        ArrayList<Slot> pending = new ArrayList<>(slots);
        slots.clear();
        for (Slot slot : pending) {
            if (slot.future != null) {
                slot.future.cancel(false);
            }
            // a handler still using the body (an append already queued) holds its own reference
            slot.request.releaseBuffer();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        updateReading();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        shutDown();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (slots.isEmpty()) {
                LOG.debug(
                        "Closing connection {}: idle for {} (connections.max.idle.ms)",
                        ConnectionTracker.connectionOf(ctx.channel()).connectionId(),
                        idleTimeout);
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // resets and broken pipes are the peer's business
            LOG.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn(
                    "Closing connection from {} after an unexpected error",
                    ctx.channel().remoteAddress(),
                    cause);
        }
        ctx.close();
    }
}
