package io.tributary.common.protocol.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tributary.common.protocol.ProtocolServerMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link io.tributary.common.protocol.KafkaProtocolServer}'s connection counters
 * ({@link ProtocolServerMetrics}) as Micrometer meters named after Kafka's
 * {@code kafka.server:type=socket-server-metrics}, the way {@link MicrometerRequestMetrics} names
 * {@code kafka.network:type=RequestMetrics} (domain, type without "metrics", name):
 * <ul>
 *   <li>{@value #CONNECTION_COUNT} (Gauge): connections open now, Kafka's {@code connection-count}.</li>
 *   <li>{@value #CONNECTION_CREATION} (FunctionCounter): connections accepted since start, Kafka's
 *   {@code connection-creation-total} (Prometheus takes the rate).</li>
 *   <li>{@value #CONNECTION_REJECTED} (FunctionCounter): connections refused over a connection
 *   limit or closed for bad input (an oversized, malformed, unsupported or too slowly sent
 *   frame); Kafka has no one meter for these.</li>
 * </ul>
 * The meters read the server's counters at scrape time, so binding adds nothing to the event
 * loops' work. {@link #close()} removes them, for a service that replaces its server.
 *
 * <p>Thread-safe.
 */
public final class MicrometerConnectionMetrics implements MeterBinder, AutoCloseable {

    /** The gauge of open connections. */
    public static final String CONNECTION_COUNT = "kafka.server.socket.server.connection.count";
    /** The counter of accepted connections. */
    public static final String CONNECTION_CREATION = "kafka.server.socket.server.connection.creation";
    /** The counter of refused connections and of connections closed for bad input. */
    public static final String CONNECTION_REJECTED = "kafka.server.socket.server.connection.rejected";

    private final ProtocolServerMetrics metrics;
    private final List<Meter> meters = new ArrayList<>();
    private MeterRegistry registry;

    /** @param metrics the server's counters ({@code KafkaProtocolServer.metrics()}) */
    public MicrometerConnectionMetrics(ProtocolServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.registry = registry;
        // Micrometer holds the counters weakly: the server that owns them keeps them alive
        meters.add(Gauge.builder(CONNECTION_COUNT, metrics, ProtocolServerMetrics::activeConnections)
                .description("Kafka-protocol connections open")
                .register(registry));
        meters.add(FunctionCounter.builder(CONNECTION_CREATION, metrics, ProtocolServerMetrics::acceptedConnections)
                .description("Kafka-protocol connections accepted")
                .register(registry));
        meters.add(FunctionCounter.builder(CONNECTION_REJECTED, metrics, ProtocolServerMetrics::rejectedConnections)
                .description("Kafka-protocol connections refused over a limit or closed for bad input")
                .register(registry));
    }

    /** Removes the meters from the registry they were bound to; idempotent. */
    @Override
    public synchronized void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }
}
