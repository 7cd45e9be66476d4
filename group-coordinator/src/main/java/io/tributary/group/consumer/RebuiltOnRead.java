package io.tributary.group.consumer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A value built from a source that signals its changes, rebuilt on the first read after a change
 * rather than at every change. A read never returns a value older than the changes signalled
 * before it began: a reader that finds a rebuild under way waits for it, so two heartbeats that
 * arrive together at a coordinator that has not read the topics yet both see them (one of them
 * used to get the empty image and compute an assignment over no partitions).
 *
 * <p>Thread-safe.
 */
final class RebuiltOnRead<T> {

    private record Built<T>(T value, long version) {}

    private final Supplier<T> build;
    private final AtomicLong changes = new AtomicLong();
    private volatile Built<T> built;

    /** @param initial what reads return until the first build; never returned, since the first read builds */
    RebuiltOnRead(Supplier<T> build, T initial) {
        this.build = build;
        this.built = new Built<>(initial, -1);
    }

    /** The source changed: the next read rebuilds. */
    void changed() {
        changes.incrementAndGet();
    }

    T get() {
        Built<T> current = built;
        if (current.version() == changes.get()) {
            return current.value();
        }
        synchronized (this) {
            // read the count before building: a change during the build makes the next read rebuild
            long seen = changes.get();
            if (built.version() != seen) {
                built = new Built<>(build.get(), seen);
            }
            return built.value();
        }
    }
}
