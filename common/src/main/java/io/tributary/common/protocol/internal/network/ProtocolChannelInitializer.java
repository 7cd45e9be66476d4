package io.tributary.common.protocol.internal.network;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.ConnectionListener;
import io.tributary.common.protocol.ErrorMapper;
import io.tributary.common.protocol.ProtocolServerConfig;
import io.tributary.common.protocol.RequestMetrics;
import io.tributary.common.security.ListenerSecurity;
import io.tributary.common.security.SaslMechanisms;
import io.tributary.common.security.TlsContextSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline of every accepted connection, in this order (inbound top to bottom):
 * <pre>
 *   tls              SslHandler (SSL and SASL_SSL listeners only), with the handshake logger
 *   idle             IdleStateHandler: fires after connections.max.idle.ms without traffic
 *   connection       ConnectionTracker: connection id, counters, open/close listeners
 *   frame-decoder    KafkaFrameDecoder: int32 size prefix, size limit, exact consumption
 *   request-decoder  KafkaRequestDecoder: copy + parse into a DecodedRequest
 *   response-encoder ResponseEncoder (outbound): header + body, zero-copy file regions
 *   authenticator    Authenticator (all but PLAINTEXT listeners): SASL exchange, principal
 *   dispatcher       RequestDispatcher: handler per API key, per-connection response order
 * </pre>
 * The encoder sits before the dispatcher so the dispatcher's writes pass through it. On a TLS
 * listener the encoder copies file-backed record data into buffers, since bytes must pass
 * through the {@code SslHandler} to be encrypted (Kafka likewise loses zero-copy under TLS).
 *
 * <p>A connection beyond {@code max.connections} or {@code max.connections.per.ip} gets no
 * pipeline: it is closed as soon as it is accepted, with one WARN line naming the peer and the
 * limit.
 *
 * <p>Sharable: one instance per server; the stateful handlers are created per channel.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class ProtocolChannelInitializer extends ChannelInitializer<Channel> {

    public static final String TLS = "tls";
    public static final String TLS_HANDSHAKE = "tls-handshake";
    public static final String IDLE = "idle";
    public static final String CONNECTION = "connection";
    public static final String FRAME_DECODER = "frame-decoder";
    public static final String REQUEST_DECODER = "request-decoder";
    public static final String RESPONSE_ENCODER = "response-encoder";
    public static final String AUTHENTICATOR = "authenticator";
    public static final String DISPATCHER = "dispatcher";

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolChannelInitializer.class);

    private final ApiHandlerRegistry registry;
    private final RequestParser parser;
    private final ErrorMapper errorMapper = new ErrorMapper();
    private final ResponseEncoder encoder;
    private final TlsContextSource tls;
    private final SaslMechanisms saslMechanisms;
    private final ServerCounters counters;
    private final RequestMetrics metrics;
    private final List<ConnectionListener> listeners;
    private final AtomicLong connectionSequence = new AtomicLong();
    private final ProtocolServerConfig config;
    private final ConnectionLimiter limiter;

    /**
     * @param metrics   per-request times and error counts ({@link RequestMetrics#NONE} for none)
     * @param listeners a live, thread-safe list (listeners may be added before the first connection)
     */
    public ProtocolChannelInitializer(
            ApiHandlerRegistry registry,
            ServerCounters counters,
            RequestMetrics metrics,
            List<ConnectionListener> listeners,
            ProtocolServerConfig config,
            SaslMechanisms saslMechanisms) {
        this.registry = registry;
        this.parser = new RequestParser(registry);
        this.counters = counters;
        this.metrics = metrics;
        this.listeners = listeners;
        this.config = config;
        if (config.security().sasl() && saslMechanisms == null) {
            throw new IllegalArgumentException(
                    "A " + config.security().protocol() + " listener needs SASL mechanisms (a credential store)");
        }
        this.saslMechanisms = saslMechanisms;
        this.limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp());
        ListenerSecurity security = config.security();
        this.tls = security.tls() ? new TlsContextSource(security.ssl()) : null;
        this.encoder = new ResponseEncoder(tls == null);
    }

    @Override
    protected void initChannel(Channel channel) {
        InetAddress remote = remoteAddress(channel);
        String exceeded = limiter.tryAcquire(remote);
        if (exceeded != null) {
            counters.connectionRejected();
            LOG.warn("Refusing connection from {}: {} reached", channel.remoteAddress(), exceeded);
            channel.close();
            return;
        }
        channel.closeFuture().addListener(closed -> limiter.release(remote));
        long idleMillis = config.connectionsMaxIdle().toMillis();
        ChannelPipeline pipeline = channel.pipeline();
        if (tls != null) {
            pipeline.addLast(TLS, tls.current().newHandler(channel.alloc()));
            pipeline.addLast(TLS_HANDSHAKE, new TlsHandshakeLogger());
        }
        pipeline.addLast(IDLE, new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
        pipeline.addLast(CONNECTION, new ConnectionTracker(connectionSequence, counters, listeners));
        pipeline.addLast(
                FRAME_DECODER, new KafkaFrameDecoder(config.maxRequestBytes(), config.connectionsMaxIdle(), counters));
        pipeline.addLast(REQUEST_DECODER, new KafkaRequestDecoder(parser, counters));
        pipeline.addLast(RESPONSE_ENCODER, encoder);
        if (config.security().protocol() != SecurityProtocol.PLAINTEXT) {
            pipeline.addLast(AUTHENTICATOR, new Authenticator(config.security().sasl() ? saslMechanisms : null));
        }
        pipeline.addLast(
                DISPATCHER,
                new RequestDispatcher(
                        registry,
                        errorMapper,
                        metrics,
                        config.maxInFlightPerConnection(),
                        config.connectionsMaxIdle()));
    }

    private static InetAddress remoteAddress(Channel channel) {
        // Netty's embedded test channel has no IP address: count it as loopback
        return channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress()
                : InetAddress.getLoopbackAddress();
    }
}
