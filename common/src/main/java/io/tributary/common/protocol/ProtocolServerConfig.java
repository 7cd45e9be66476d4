package io.tributary.common.protocol;

import io.tributary.common.security.ListenerSecurity;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link KafkaProtocolServer} listener. Services bind their own
 * {@code @ConfigurationProperties} and build this record from them.
 *
 * @param host                      interface to bind, e.g. {@code 0.0.0.0}
 * @param port                      port to bind; 0 picks a free one (see {@link KafkaProtocolServer#port()})
 * @param ioThreads                 Netty worker event loops serving the connections
 * @param maxRequestBytes           {@code socket.request.max.bytes}: the largest frame accepted; a
 *                                  larger (or negative) size prefix closes the connection
 * @param connectionsMaxIdle        {@code connections.max.idle.ms}: a connection with no traffic and
 *                                  no request in progress for this long is closed, and so is one
 *                                  whose request has not arrived whole this long after its first byte
 * @param maxInFlightPerConnection  requests of one connection awaiting their response before the
 *                                  server stops reading from it (back-pressure on a client that
 *                                  pipelines faster than the handlers answer)
 * @param maxConnections            {@code max.connections}: open connections of this listener; a
 *                                  connection beyond it is closed as soon as it is accepted
 * @param maxConnectionsPerIp       {@code max.connections.per.ip}: open connections from one remote
 *                                  address; a connection beyond it is closed as soon as it is accepted
 * @param listenerName              the Kafka listener name, for logs and request contexts
 * @param security                  the listener's security protocol and TLS material
 */
public record ProtocolServerConfig(
        String host,
        int port,
        int ioThreads,
        int maxRequestBytes,
        Duration connectionsMaxIdle,
        int maxInFlightPerConnection,
        int maxConnections,
        int maxConnectionsPerIp,
        String listenerName,
        ListenerSecurity security) {

    /** Kafka's default {@code socket.request.max.bytes}: 100 MiB. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;
    /** Kafka's default {@code connections.max.idle.ms}: 10 minutes. */
    public static final Duration DEFAULT_CONNECTIONS_MAX_IDLE = Duration.ofMinutes(10);
    /** Well above the Java clients' 5 in-flight requests per connection. */
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 32;
    /** Kafka's default {@code max.connections} and {@code max.connections.per.ip}: no limit. */
    public static final int UNLIMITED_CONNECTIONS = Integer.MAX_VALUE;

    public ProtocolServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(connectionsMaxIdle, "connectionsMaxIdle");
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(security, "security");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        requirePositive("ioThreads", ioThreads);
        requirePositive("maxRequestBytes", maxRequestBytes);
        if (connectionsMaxIdle.isNegative() || connectionsMaxIdle.isZero()) {
            throw new IllegalArgumentException("connectionsMaxIdle must be positive: " + connectionsMaxIdle);
        }
        requirePositive("maxInFlightPerConnection", maxInFlightPerConnection);
        requirePositive("maxConnections", maxConnections);
        requirePositive("maxConnectionsPerIp", maxConnectionsPerIp);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** Kafka's defaults on {@code host:port}, with two I/O threads. */
    public static ProtocolServerConfig of(String host, int port) {
        return new ProtocolServerConfig(
                host,
                port,
                2,
                DEFAULT_MAX_REQUEST_BYTES,
                DEFAULT_CONNECTIONS_MAX_IDLE,
                DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION,
                UNLIMITED_CONNECTIONS,
                UNLIMITED_CONNECTIONS,
                "PLAINTEXT",
                ListenerSecurity.plaintext());
    }

    public ProtocolServerConfig withIoThreads(int threads) {
        return new ProtocolServerConfig(
                host,
                port,
                threads,
                maxRequestBytes,
                connectionsMaxIdle,
                maxInFlightPerConnection,
                maxConnections,
                maxConnectionsPerIp,
                listenerName,
                security);
    }

    public ProtocolServerConfig withMaxRequestBytes(int bytes) {
        return new ProtocolServerConfig(
                host,
                port,
                ioThreads,
                bytes,
                connectionsMaxIdle,
                maxInFlightPerConnection,
                maxConnections,
                maxConnectionsPerIp,
                listenerName,
                security);
    }

    public ProtocolServerConfig withConnectionsMaxIdle(Duration idle) {
        return new ProtocolServerConfig(
                host,
                port,
                ioThreads,
                maxRequestBytes,
                idle,
                maxInFlightPerConnection,
                maxConnections,
                maxConnectionsPerIp,
                listenerName,
                security);
    }

    public ProtocolServerConfig withMaxInFlightPerConnection(int maxInFlight) {
        return new ProtocolServerConfig(
                host,
                port,
                ioThreads,
                maxRequestBytes,
                connectionsMaxIdle,
                maxInFlight,
                maxConnections,
                maxConnectionsPerIp,
                listenerName,
                security);
    }

    /** With {@code max.connections} and {@code max.connections.per.ip}. */
    public ProtocolServerConfig withConnectionLimits(int total, int perIp) {
        return new ProtocolServerConfig(
                host,
                port,
                ioThreads,
                maxRequestBytes,
                connectionsMaxIdle,
                maxInFlightPerConnection,
                total,
                perIp,
                listenerName,
                security);
    }

    /** With a security protocol (and TLS material); the listener name becomes the protocol's name. */
    public ProtocolServerConfig withSecurity(ListenerSecurity listenerSecurity) {
        return new ProtocolServerConfig(
                host,
                port,
                ioThreads,
                maxRequestBytes,
                connectionsMaxIdle,
                maxInFlightPerConnection,
                maxConnections,
                maxConnectionsPerIp,
                listenerSecurity.protocol().name,
                listenerSecurity);
    }
}
