package io.tributary.common.protocol.internal.network;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts a listener's open connections, in all and per remote address, against
 * {@code max.connections} and {@code max.connections.per.ip}. A connection takes a place when it
 * is accepted ({@link #tryAcquire}) and gives it back when it closes ({@link #release}).
 *
 * <p>Kafka's acceptor closes a connection over the per-address limit at once; over the total
 * limit it stops accepting until a connection closes. Here both are refused at once, so a flood
 * cannot park connections in the kernel's backlog either.
 *
 * <p>Thread-safe: one instance per server, called from every event loop; connection setup is
 * rare next to requests, so a lock is cheap enough.
 */
final class ConnectionLimiter {

    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int total;

    ConnectionLimiter(int maxConnections, int maxConnectionsPerIp) {
        this.maxConnections = maxConnections;
        this.maxConnectionsPerIp = maxConnectionsPerIp;
    }

    /**
     * Takes a place for a connection from {@code address}.
     *
     * @return {@code null} if accepted, else the limit it would exceed, for the log line
     */
    synchronized String tryAcquire(InetAddress address) {
        if (total >= maxConnections) {
            return "max.connections=" + maxConnections;
        }
        int fromAddress = perAddress.getOrDefault(address, 0);
        if (fromAddress >= maxConnectionsPerIp) {
            return "max.connections.per.ip=" + maxConnectionsPerIp;
        }
        perAddress.put(address, fromAddress + 1);
        total++;
        return null;
    }

    /** Gives back the place of a closed connection accepted by {@link #tryAcquire}. */
    synchronized void release(InetAddress address) {
        total--;
        perAddress.computeIfPresent(address, (a, count) -> count > 1 ? count - 1 : null);
    }
}
