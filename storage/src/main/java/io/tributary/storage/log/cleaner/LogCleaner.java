package io.tributary.storage.log.cleaner;

import io.tributary.storage.log.LogManager;
import io.tributary.storage.log.PartitionLog;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log cleaner: compacts the logs of a {@link LogManager} whose {@code cleanup.policy} lists
 * {@code compact}, keeping the latest record of each key, as Kafka's {@code LogCleaner}.
 * {@code log.cleaner.threads} daemon threads each take the dirtiest log
 * ({@link LogCleanerManager}), clean it ({@link Cleaner}) and record the progress in
 * {@code cleaner-offset-checkpoint}; with nothing to clean a thread sleeps
 * {@code log.cleaner.backoff.ms}. Deletion by {@code retention.ms}/{@code retention.bytes} of
 * {@code compact,delete} logs stays with the log manager's retention.
 *
 * <p><b>Crash behaviour:</b> a cleaning writes new {@code .cleaned} files and swaps them in
 * through {@code .swap} files; whatever a kill leaves, the next load either deletes the cleaned
 * files (the old segments are intact) or completes the swap, so the latest value of every key
 * survives. A cleaning interrupted before its checkpoint is simply done again.
 *
 * <p><b>Failures:</b> an I/O error or a bad batch in one log is logged once at ERROR and makes
 * that log uncleanable until restart; the other logs are still cleaned. A log deleted or taken
 * offline under a cleaning just ends it.
 *
 * <p><b>Thread-safety:</b> thread-safe. Threads are never interrupted, since an interrupt would
 * close the segment files they read; {@link #shutdown} asks them to stop between batches.
 */
public final class LogCleaner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    private final LogManager logManager;
    private final CleanerConfig config;
    private final Clock clock;
    private final LogCleanerManager manager;
    private final Throttler throttler;
    private final List<Thread> threads = new ArrayList<>();
    private final Object wakeup = new Object();
    private volatile boolean stopping;

    private LogCleaner(LogManager logManager, CleanerConfig config, Clock clock) {
        this.logManager = logManager;
        this.config = config;
        this.clock = clock;
        this.manager = new LogCleanerManager(logManager, clock);
        this.throttler = new Throttler(config.ioMaxBytesPerSecond(), System::nanoTime);
    }

    /** Starts the cleaner threads over the logs of {@code logManager}; none if {@code log.cleaner.enable} is false. */
    public static LogCleaner start(LogManager logManager, CleanerConfig config, Clock clock) {
        LogCleaner cleaner = new LogCleaner(logManager, config, clock);
        if (config.enable()) {
            for (int i = 0; i < config.threads(); i++) {
                Thread thread = new Thread(cleaner::run, "log-cleaner-" + i);
                thread.setDaemon(true);
                cleaner.threads.add(thread);
                thread.start();
            }
            LOG.info(
                    "Log cleaner started: {} threads, {} bytes of offset map each, io limit {} bytes/s, backoff {} ms",
                    config.threads(),
                    config.mapBytesPerThread(),
                    config.ioMaxBytesPerSecond(),
                    config.backoffMs());
        } else {
            LOG.info("Log cleaner disabled (log.cleaner.enable=false): compacted topics are not compacted");
        }
        return cleaner;
    }

    private void run() {
        // the map and buffers are allocated at the first cleaning: a broker without compacted
        // topics never pays for them
        Supplier<Cleaner> cleaner = new Supplier<>() {
            private Cleaner allocated;

            @Override
            public Cleaner get() {
                if (allocated == null) {
                    allocated = new Cleaner(
                            new OffsetMap(config.mapBytesPerThread()),
                            config.ioBufferSize(),
                            throttler,
                            clock,
                            () -> stopping);
                }
                return allocated;
            }
        };
        while (!stopping) {
            if (!cleanFilthiestLog(cleaner)) {
                synchronized (wakeup) {
                    if (!stopping) {
                        try {
                            wakeup.wait(config.backoffMs());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        }
    }

    /** Cleans the dirtiest log, if one needs it; true if one was taken. */
    boolean cleanFilthiestLog(Supplier<Cleaner> cleaner) {
        Optional<LogToClean> next;
        try {
            next = manager.grabFilthiestLog();
        } catch (RuntimeException e) {
            LOG.error("The log cleaner failed to choose a log", e);
            return false;
        }
        if (next.isEmpty()) {
            return false;
        }
        LogToClean toClean = next.get();
        PartitionLog log = toClean.log();
        TopicPartition tp = log.topicPartition();
        try {
            CleaningResult result = cleaner.get().clean(toClean);
            manager.doneCleaning(toClean, result);
        } catch (CleaningAbortedException e) {
            manager.abortedCleaning(tp, false);
        } catch (InterruptedException e) {
            manager.abortedCleaning(tp, false);
            Thread.currentThread().interrupt();
            stopping = true;
        } catch (IOException | RuntimeException e) {
            // a corrupt batch, a full disk: this log, not the thread, is given up
            boolean gone = logManager.getLog(tp).orElse(null) != log || log.isOffline();
            manager.abortedCleaning(tp, !gone);
            if (gone) {
                LOG.info("Cleaning of {} ended: the log was deleted or went offline meanwhile", tp);
            } else {
                LOG.error("Cleaning of {} in {} failed; it is not cleaned again until restart", tp, log.dir(), e);
            }
        }
        return true;
    }

    /** Every compacted log's cleaner state, by topic and partition. */
    public List<CleanerState> states() {
        return manager.states();
    }

    /** True if the cleaner is enabled and all its threads are running (false after {@link #shutdown}). */
    public boolean isRunning() {
        return config.enable() && !stopping && threads.stream().allMatch(Thread::isAlive);
    }

    public CleanerConfig config() {
        return config;
    }

    /** Stops the threads between two batches and waits for them; a cleaning in progress is dropped. */
    public void shutdown() {
        stopping = true;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.info("Log cleaner stopped");
    }

    @Override
    public void close() {
        shutdown();
    }
}
