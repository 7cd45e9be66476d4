package io.tributary.common.protocol;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tributary.common.protocol.internal.network.ProtocolChannelInitializer;
import io.tributary.common.protocol.internal.network.ServerCounters;
import io.tributary.common.security.SaslMechanisms;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka-protocol listener: accepts connections on {@code host:port} and serves the APIs of an
 * {@link ApiHandlerRegistry} over Netty. broker-service and group-coordinator each run one;
 * this class knows nothing of what the handlers do.
 *
 * <p>Usage:
 * <pre>{@code
 * ApiHandlerRegistry registry = ApiHandlerRegistry.builder()
 *         .register(new MetadataHandler(...))
 *         .register(new ProduceHandler(...))
 *         .build();                                   // ApiVersions is added automatically
 * KafkaProtocolServer server = new KafkaProtocolServer(ProtocolServerConfig.of("0.0.0.0", 9092), registry);
 * server.addConnectionListener(fetchSessions);        // optional, before start()
 * server.requestMetrics(new MicrometerRequestMetrics(meterRegistry, registry.apiKeys())); // optional
 * server.start();                                     // binds; server.port() is the bound port
 * ...
 * server.close();
 * }</pre>
 *
 * <p>Lifecycle: created stopped; {@link #start()} binds once (failing with the bind error);
 * {@link #close()} stops accepting, closes every connection (listeners see each close, pending
 * handler futures are cancelled) and stops the event loops. Not restartable.
 *
 * <p>Threading: one acceptor thread and {@code ioThreads} event loops; each connection lives on
 * one event loop, where its handlers are called. {@code start}, {@code close} and the getters
 * are thread-safe.
 */
public final class KafkaProtocolServer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaProtocolServer.class);

    private final ProtocolServerConfig config;
    private final ApiHandlerRegistry registry;
    private final ServerCounters counters = new ServerCounters();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private SaslMechanisms saslMechanisms;
    private RequestMetrics requestMetrics = RequestMetrics.NONE;
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private InetSocketAddress boundAddress;
    private boolean closed;

    public KafkaProtocolServer(ProtocolServerConfig config, ApiHandlerRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Adds a listener for connection open/close; add it before {@link #start()} to see every connection. */
    public KafkaProtocolServer addConnectionListener(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * The SASL mechanisms of a SASL_PLAINTEXT or SASL_SSL listener (required for those, ignored
     * by the others); set it before {@link #start()}.
     */
    public synchronized KafkaProtocolServer saslMechanisms(SaslMechanisms mechanisms) {
        this.saslMechanisms = Objects.requireNonNull(mechanisms, "mechanisms");
        return this;
    }

    /**
     * Where each request's total time and its response's error codes go ({@link RequestMetrics#NONE}
     * unless set); set it before {@link #start()}.
     */
    public synchronized KafkaProtocolServer requestMetrics(RequestMetrics metrics) {
        this.requestMetrics = Objects.requireNonNull(metrics, "metrics");
        return this;
    }

    /**
     * Binds and starts serving.
     *
     * @return the bound address (with the real port when the configured port is 0)
     * @throws IllegalStateException if already started or closed
     * @throws UncheckedIOException  if the address cannot be bound (e.g. the port is in use)
     */
    public synchronized InetSocketAddress start() {
        if (serverChannel != null || closed) {
            throw new IllegalStateException("KafkaProtocolServer can be started once");
        }
        // built first: a TLS keystore that cannot be loaded fails here, before any thread starts
        ProtocolChannelInitializer initializer =
                new ProtocolChannelInitializer(registry, counters, requestMetrics, listeners, config, saslMechanisms);
        acceptor = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("kafka-acceptor-" + config.listenerName()), NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(
                config.ioThreads(),
                new DefaultThreadFactory("kafka-io-" + config.listenerName()),
                NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(initializer);
        try {
            serverChannel = bootstrap
                    .bind(config.host(), config.port())
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) {
            // Netty rethrows the checked BindException undeclared: catch it to stop the loops
            shutDownEventLoops();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(
                        "Cannot bind Kafka listener " + config.listenerName() + " on " + config.host() + ":"
                                + config.port(),
                        io);
            }
            throw e;
        }
        boundAddress = (InetSocketAddress) serverChannel.localAddress();
        LOG.info(
                "Kafka protocol listener {} on {} serving {}", config.listenerName(), boundAddress, registry.apiKeys());
        return boundAddress;
    }

    /** The bound port; only after {@link #start()}. */
    public synchronized int port() {
        return boundAddress().getPort();
    }

    /** The bound address; only after {@link #start()}. */
    public synchronized InetSocketAddress boundAddress() {
        if (boundAddress == null) {
            throw new IllegalStateException("KafkaProtocolServer is not started");
        }
        return boundAddress;
    }

    /** Live connection counters; the requests are counted by {@link #requestMetrics(RequestMetrics)}. */
    public ProtocolServerMetrics metrics() {
        return counters;
    }

    /** The APIs served. */
    public ApiHandlerRegistry registry() {
        return registry;
    }

    /** Stops accepting, closes all connections and stops the event loops; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        shutDownEventLoops();
        if (boundAddress != null) {
            LOG.info("Kafka protocol listener {} on {} stopped", config.listenerName(), boundAddress);
        }
    }

    private void shutDownEventLoops() {
        // no quiet period: connections are closed as the loops shut down, which is what we want
        if (acceptor != null) {
            acceptor.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
