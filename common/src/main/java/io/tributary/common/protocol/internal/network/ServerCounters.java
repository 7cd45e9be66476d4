package io.tributary.common.protocol.internal.network;

import io.tributary.common.protocol.ProtocolServerMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mutable side of {@link ProtocolServerMetrics}: one instance per server, shared by every
 * connection's handlers.
 *
 * <p>Thread-safe and lock-free: each event loop bumps atomics; readers see recent values.
 */
public final class ServerCounters implements ProtocolServerMetrics {

    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();

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
}
