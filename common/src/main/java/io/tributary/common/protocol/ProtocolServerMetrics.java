package io.tributary.common.protocol;

import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Read-only counters of a {@link KafkaProtocolServer}, shaped for Micrometer gauges and
 * function counters (the services bind them). The per-request times and error codes are
 * {@link RequestMetrics}, which the services give to the server.
 *
 * <p>Threading: safe to read from any thread; values are updated by the event loops without
 * locks, so a reader may see a value a few events old.
 */
public interface ProtocolServerMetrics {

    /** Connections currently open. */
    int activeConnections();

    /** Connections accepted since start. */
    long acceptedConnections();

    /** Connections the server closed because of bad input (oversized, malformed or unsupported frames). */
    long rejectedConnections();

    /** Requests of {@code apiKey} dispatched to a handler since start. */
    long requestCount(ApiKeys apiKey);

    /** Every API with a non-zero request count, in API-key order. */
    Map<ApiKeys, Long> requestCounts();
}
