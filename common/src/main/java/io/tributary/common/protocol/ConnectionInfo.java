package io.tributary.common.protocol;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Identity of one client connection, fixed when the connection is accepted.
 *
 * <p>{@code connectionId} is unique for the life of the server: Kafka's
 * {@code local-remote-sequence} shape, e.g. {@code 127.0.0.1:9092-127.0.0.1:53412-7}, so a
 * reused client port never collides with an earlier connection. Services key per-connection
 * state by it and drop that state in {@link ConnectionListener#connectionClosed}.
 *
 * @param connectionId  the server-unique id
 * @param remoteAddress the peer
 * @param localAddress  the server side of the socket
 */
public record ConnectionInfo(String connectionId, InetSocketAddress remoteAddress, InetSocketAddress localAddress) {

    public ConnectionInfo {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(localAddress, "localAddress");
    }
}
