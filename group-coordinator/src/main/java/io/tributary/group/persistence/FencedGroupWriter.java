package io.tributary.group.persistence;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.utils.ThreadUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Writes whole-group states to the store on one writer thread, fenced by the ownership epoch.
 * When a group changes faster than the store takes it, only its latest state is written (each
 * write is the whole group). A write carries the ownership epoch of when the change was made and
 * is checked against it ({@link WriteFence}) inside its transaction: once another coordinator has
 * claimed the group's partition and written, this one's late writes are dropped. A failed write
 * is logged and dropped: the next change writes the whole group again. Thread-safe.
 *
 * @param <T> the state of one group
 */
final class FencedGroupWriter<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FencedGroupWriter.class);

    private final String what;
    private final TransactionOperations transactions;
    private final WriteFence fence;
    private final BiConsumer<String, T> upsert;
    private final Consumer<String> delete;
    /** The latest unwritten change per group; a null state means delete. */
    private final Map<String, PendingWrite<T>> pending = new ConcurrentHashMap<>();

    private final ExecutorService writer;

    private record PendingWrite<T>(String groupId, T state, long epoch) {}

    /**
     * @param what   what is written, for logs and the thread name ({@code consumer-group})
     * @param upsert writes a group's state, inside the write's transaction
     * @param delete deletes a group's row, inside the write's transaction
     */
    FencedGroupWriter(
            String what,
            TransactionOperations transactions,
            WriteFence fence,
            BiConsumer<String, T> upsert,
            Consumer<String> delete) {
        this.what = what;
        this.transactions = transactions;
        this.fence = fence;
        this.upsert = upsert;
        this.delete = delete;
        this.writer = Executors.newSingleThreadExecutor(ThreadUtils.createThreadFactory(what + "-writer", true));
    }

    /** Queues the group's state ({@code null}: delete its row); never blocks. */
    void submit(String groupId, T state) {
        long epoch;
        try {
            epoch = fence.epochOf(groupId);
        } catch (NotCoordinatorException e) {
            return; // served elsewhere already: the new owner writes the group
        }
        pending.put(groupId, new PendingWrite<>(groupId, state, epoch));
        writer.execute(() -> {
            PendingWrite<T> write = pending.remove(groupId);
            if (write != null) {
                write(write);
            }
        });
    }

    private void write(PendingWrite<T> write) {
        try {
            try {
                writeOnce(write);
            } catch (DataIntegrityViolationException e) {
                // a first write of the partition (or of the group) raced another on the insert: the loser retries once
                writeOnce(write);
            }
        } catch (NotCoordinatorException e) {
            log.info("Group {}: {} state not stored, the group is served elsewhere now", write.groupId(), what);
        } catch (RuntimeException e) {
            log.warn("Group {}: could not store its {} state: {}", write.groupId(), what, e.toString());
        }
    }

    private void writeOnce(PendingWrite<T> write) {
        transactions.executeWithoutResult(status -> {
            fence.check(write.groupId(), write.epoch());
            if (write.state() == null) {
                delete.accept(write.groupId());
            } else {
                upsert.accept(write.groupId(), write.state());
            }
        });
    }

    /** Waits for queued writes (tests, shutdown, a load). */
    void flush() {
        try {
            writer.submit(() -> {}).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("{} writes did not drain: {}", what, e.toString());
        }
    }

    @Override
    public void close() {
        flush();
        writer.shutdownNow();
    }
}
