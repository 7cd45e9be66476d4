package io.tributary.group;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.ThreadUtils;

/**
 * The threads that run database work (commits, fetches, group loads, listings), so that request
 * threads never wait on JDBC. Its own type, so that it is not mistaken for Spring's task
 * executor. Thread-safe.
 */
public final class GroupDatabaseExecutor implements Executor, AutoCloseable {

    private final ThreadPoolExecutor pool;

    public GroupDatabaseExecutor(int threads) {
        pool = new ThreadPoolExecutor(
                threads,
                threads,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                ThreadUtils.createThreadFactory("group-db-%d", true)); // group-db-1, -2, ...: counts from 1
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable command) {
        pool.execute(command);
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
