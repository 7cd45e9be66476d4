package io.tributary.common.protocol;

/**
 * Read-only connection counters of a {@link KafkaProtocolServer}, shaped for Micrometer gauges
 * and function counters ({@code io.tributary.common.protocol.metrics.MicrometerConnectionMetrics}
 * binds them). Requests are counted by {@link RequestMetrics}, which the services give to the
 * server: its timers' counts are the requests per API.
 *
 * <p>Threading: safe to read from any thread; values are updated by the event loops without
 * locks, so a reader may see a value a few events old.
 */
public interface ProtocolServerMetrics {

    /** Connections currently open. */
    int activeConnections();

    /** Connections accepted since start. */
    long acceptedConnections();

    /**
     * Connections the server refused over a connection limit, or closed because of bad input
     * (oversized, malformed, unsupported or too slowly sent frames), since start. A refused one
     * was never accepted.
     */
    long rejectedConnections();
}
