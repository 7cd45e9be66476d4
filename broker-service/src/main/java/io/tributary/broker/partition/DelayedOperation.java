package io.tributary.broker.partition;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;

/**
 * A request that waits for something to happen on some partitions (data to fetch, the high
 * watermark to pass a produce), or for its timeout. {@link #forceComplete()} runs
 * {@link #onComplete()} exactly once, whichever of the two comes first. Thread-safe.
 */
public abstract class DelayedOperation {

    private final AtomicBoolean completed = new AtomicBoolean();
    private final List<TopicPartition> keys;
    private volatile ScheduledFuture<?> timeout;

    protected DelayedOperation(List<TopicPartition> keys) {
        this.keys = List.copyOf(keys);
    }

    /** The partitions whose changes may complete this operation. */
    public List<TopicPartition> keys() {
        return keys;
    }

    /** Completes the operation if its condition now holds; true when it is (now or earlier) complete. */
    public abstract boolean tryComplete();

    /** Builds and delivers the answer; called once. */
    protected abstract void onComplete();

    public final boolean forceComplete() {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> pending = timeout;
        if (pending != null) {
            pending.cancel(false);
        }
        onComplete();
        return true;
    }

    public boolean isCompleted() {
        return completed.get();
    }

    void setTimeout(ScheduledFuture<?> timeout) {
        this.timeout = timeout;
        if (isCompleted()) {
            timeout.cancel(false);
        }
    }
}
