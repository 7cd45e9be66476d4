package io.tributary.common.protocol.internal.network;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.tributary.common.protocol.ConnectionInfo;
import io.tributary.common.protocol.ConnectionListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every connection: gives it a {@link ConnectionInfo} (stored as a channel
 * attribute for the decoders), keeps the connection counters and tells the
 * {@link ConnectionListener}s about open and close.
 *
 * <p>One instance per channel; runs on the channel's event loop.
 */
public final class ConnectionTracker extends ChannelInboundHandlerAdapter {

    /** The connection's identity, set in {@code channelActive}. */
    public static final AttributeKey<ConnectionInfo> CONNECTION = AttributeKey.valueOf("tributary.connection");

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTracker.class);
    /** What a non-IP transport (Netty's embedded test channel) reports as its address. */
    private static final InetSocketAddress UNKNOWN = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final AtomicLong sequence;
    private final ServerCounters counters;
    private final List<ConnectionListener> listeners;
    private ConnectionInfo connection;

    ConnectionTracker(AtomicLong sequence, ServerCounters counters, List<ConnectionListener> listeners) {
        this.sequence = sequence;
        this.counters = counters;
        this.listeners = listeners;
    }

    /** The connection of {@code channel}, or {@code null} before it became active. */
    public static ConnectionInfo connectionOf(Channel channel) {
        return channel.attr(CONNECTION).get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        Channel channel = ctx.channel();
        InetSocketAddress local = inet(channel.localAddress());
        InetSocketAddress remote = inet(channel.remoteAddress());
        // Kafka's connection id shape; the sequence keeps ids unique when a client port is reused
        String id = address(local) + "-" + address(remote) + "-" + sequence.incrementAndGet();
        connection = new ConnectionInfo(id, remote, local);
        channel.attr(CONNECTION).set(connection);
        counters.connectionOpened();
        LOG.debug("Accepted connection {}", id);
        for (ConnectionListener listener : listeners) {
            try {
                listener.connectionOpened(connection);
            } catch (RuntimeException e) {
                LOG.warn("Connection listener {} failed on open of {}", listener, id, e);
            }
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (connection != null) {
            counters.connectionClosed();
            LOG.debug("Closed connection {}", connection.connectionId());
            for (ConnectionListener listener : listeners) {
                try {
                    listener.connectionClosed(connection);
                } catch (RuntimeException e) {
                    LOG.warn("Connection listener {} failed on close of {}", listener, connection.connectionId(), e);
                }
            }
        }
        super.channelInactive(ctx);
    }

    private static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : UNKNOWN;
    }

    private static String address(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return host + ":" + address.getPort();
    }
}
