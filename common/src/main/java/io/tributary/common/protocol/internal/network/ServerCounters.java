package io.tributary.common.protocol.internal.network;

import io.tributary.common.protocol.ProtocolServerMetrics;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The mutable side of {@link ProtocolServerMetrics}: one instance per server, shared by every
 * connection's handlers.
 *
 * <p>Thread-safe and lock-free: each event loop bumps atomics; readers see recent values.
 */
public final class ServerCounters implements ProtocolServerMetrics {

    private static final ApiKeys[] KEYS = ApiKeys.values();

    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    /** Indexed by {@code ApiKeys.ordinal()}: dense and allocation-free on the hot path. */
    private final AtomicLongArray requests = new AtomicLongArray(KEYS.length);

    void connectionOpened() {
        active.incrementAndGet();
        accepted.increment();
    }

    void connectionClosed() {
        active.decrementAndGet();
    }

    void connectionRejected() {
        rejected.increment();
    }

    void requestDispatched(ApiKeys apiKey) {
        requests.incrementAndGet(apiKey.ordinal());
    }

    @Override
    public int activeConnections() {
        return active.get();
    }

    @Override
    public long acceptedConnections() {
        return accepted.sum();
    }

    @Override
    public long rejectedConnections() {
        return rejected.sum();
    }

    @Override
    public long requestCount(ApiKeys apiKey) {
        return requests.get(apiKey.ordinal());
    }

    @Override
    public Map<ApiKeys, Long> requestCounts() {
        Map<ApiKeys, Long> counts = new EnumMap<>(ApiKeys.class);
        for (ApiKeys key : KEYS) {
            long count = requests.get(key.ordinal());
            if (count > 0) {
                counts.put(key, count);
            }
        }
        return Collections.unmodifiableMap(counts);
    }
}
