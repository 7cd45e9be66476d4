package io.tributary.storage.log;

import io.tributary.storage.log.checkpoint.PartitionMetadataFile;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentTopicIdException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.utils.ThreadUtils;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's log directories: one {@link PartitionLog} per partition replica, the background
 * work (retention, {@code flush.ms}, checkpoints) and the per-directory files.
 *
 * <p><b>On disk</b>, in each log directory (see {@link LogFileNames}): {@code .lock} (held for the
 * life of the manager, see {@link LogDirLocks}), {@code recovery-point-offset-checkpoint},
 * {@code log-start-offset-checkpoint} and {@code replication-offset-checkpoint} (high watermarks,
 * see {@link LogDirCheckpoints}), written every {@link LogManagerConfig#checkpointIntervalMs()} and
 * at shutdown, the {@code .kafka_cleanshutdown} marker written last by {@link #shutdown()}, the log
 * cleaner's {@code cleaner-offset-checkpoint} (written by {@code io.tributary.storage.log.cleaner}),
 * and one {@code {topic}-{partition}} directory per log with its {@code partition.metadata} (topic id).
 *
 * <p><b>Crash behaviour:</b> without the clean-shutdown marker, each log rescans its segments
 * from the checkpointed recovery point. With it, nothing is rescanned; the marker is deleted once
 * the logs are loaded, so a crash afterwards is detected again. A partition directory renamed
 * {@code *-delete} is removed at startup.
 *
 * <p><b>Offline directories:</b> a directory goes offline, until restart, once one of its logs went
 * offline on an I/O error or its checkpoints could not be written; it then gets no checkpoints, no
 * new logs and no clean-shutdown marker (see {@link OfflineLogDirs}).
 *
 * <p><b>Thread-safety:</b> thread-safe. Logs live in a concurrent map; creation and deletion are
 * serialized on one lock; background tasks run on a small scheduler of daemon threads.
 */
public final class LogManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);

    private final LogManagerConfig config;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final LogDirLocks locks = new LogDirLocks();
    private final Object checkpointLock = new Object();
    private final Object creationLock = new Object();
    private final OfflineLogDirs offlineDirs;
    private volatile boolean shutDown;

    private LogManager(LogManagerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.offlineDirs = new OfflineLogDirs(config.logDirs());
        // daemon threads log-manager-scheduler-1 and -2 (the counter starts at 1)
        this.scheduler =
                new ScheduledThreadPoolExecutor(2, ThreadUtils.createThreadFactory("log-manager-scheduler-%d", true));
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /**
     * Locks every log directory, loads every partition log in them (recovering after an unclean
     * stop) and starts the background tasks.
     *
     * @throws LogDirectoryLockedException naming the directory if another manager holds its lock
     * @throws KafkaStorageException       if a directory cannot be created, read or locked
     */
    public static LogManager start(LogManagerConfig config, Clock clock) {
        LogManager manager = new LogManager(config, clock);
        try {
            for (Path dir : config.logDirs()) {
                manager.locks.lock(dir);
            }
            for (Path dir : config.logDirs()) {
                manager.loadDir(dir);
            }
            for (Path dir : config.logDirs()) {
                Files.deleteIfExists(dir.resolve(LogFileNames.CLEAN_SHUTDOWN_FILE_NAME));
            }
        } catch (IOException | RuntimeException e) {
            manager.abort();
            if (e instanceof IOException io) {
                throw new KafkaStorageException(
                        "Failed to start the log manager on " + config.logDirs() + ": " + io, io);
            }
            throw (RuntimeException) e;
        }
        manager.schedule(
                "retention",
                config.retentionCheckIntervalMs(),
                log -> log.retention().deleteOldSegments());
        manager.schedule("flush", config.flushCheckIntervalMs(), PartitionLog::flushIfDue);
        manager.scheduler.scheduleWithFixedDelay(
                manager::checkpointQuietly,
                config.checkpointIntervalMs(),
                config.checkpointIntervalMs(),
                TimeUnit.MILLISECONDS);
        LOG.info("Log manager started on {} with {} logs", config.logDirs(), manager.logs.size());
        return manager;
    }

    private void loadDir(Path dir) throws IOException {
        boolean clean = Files.exists(dir.resolve(LogFileNames.CLEAN_SHUTDOWN_FILE_NAME));
        LogDirCheckpoints.Offsets checkpointed = LogDirCheckpoints.read(dir);
        LOG.info("Loading logs from {} ({} shutdown)", dir, clean ? "clean" : "unclean");
        File[] children = dir.toFile().listFiles(File::isDirectory);
        if (children == null) {
            throw new IOException("Cannot list log directory " + dir);
        }
        for (File child : children) {
            if (child.getName().endsWith(LogFileNames.DELETE_DIR_SUFFIX)) {
                LOG.info("Removing partition directory {} left by a deletion", child);
                Utils.delete(child);
                continue;
            }
            Optional<TopicPartition> parsed = LogFileNames.parseTopicPartition(child.toPath());
            if (parsed.isEmpty()) {
                LOG.warn("Ignoring directory {}: not a {{topic}}-{{partition}} log directory", child);
                continue;
            }
            TopicPartition tp = parsed.get();
            PartitionLog log = PartitionLog.open(
                    child,
                    config.defaultConfig(),
                    checkpointed.logStartOffsets().getOrDefault(tp, 0L),
                    checkpointed.recoveryPoints().getOrDefault(tp, 0L),
                    clean,
                    scheduler,
                    clock);
            log.highWatermark().update(checkpointed.highWatermarks().getOrDefault(tp, 0L));
            PartitionLog previous = logs.putIfAbsent(tp, log);
            if (previous != null) {
                log.close();
                throw new IllegalStateException(
                        "Duplicate log directories for " + tp + ": " + previous.dir() + " and " + child);
            }
        }
    }

    private void schedule(String name, long intervalMs, Consumer<PartitionLog> task) {
        scheduler.scheduleWithFixedDelay(
                () -> {
                    for (PartitionLog log : logs.values()) {
                        if (log.isOffline()) {
                            continue;
                        }
                        try {
                            task.accept(log);
                        } catch (RuntimeException e) {
                            LOG.error("Background {} of {} failed", name, log.topicPartition(), e);
                        }
                    }
                },
                intervalMs,
                intervalMs,
                TimeUnit.MILLISECONDS);
    }

    /** The log of {@code topicPartition}, if this broker has one. */
    public Optional<PartitionLog> getLog(TopicPartition topicPartition) {
        return Optional.ofNullable(logs.get(topicPartition));
    }

    /**
     * The log of {@code topicPartition}, created empty (in the log directory with the fewest
     * logs) if it does not exist. An existing log takes {@code logConfig} as its new config.
     *
     * @throws InconsistentTopicIdException if the existing log belongs to another topic id (the topic
     *                                      was deleted and recreated while this broker was away)
     */
    public PartitionLog getOrCreateLog(TopicPartition topicPartition, Uuid topicId, LogConfig logConfig) {
        ensureRunning();
        synchronized (creationLock) {
            try {
                PartitionLog existing = logs.get(topicPartition);
                if (existing != null) {
                    PartitionMetadataFile metadata =
                            new PartitionMetadataFile(existing.dir().toPath());
                    Optional<Uuid> stored = metadata.read();
                    if (stored.isPresent() && !stored.get().equals(topicId)) {
                        throw new InconsistentTopicIdException("Log of " + topicPartition + " in " + existing.dir()
                                + " has topic id " + stored.get() + " but topic id " + topicId + " was requested");
                    }
                    if (stored.isEmpty()) {
                        metadata.write(topicId);
                    }
                    existing.updateConfig(logConfig);
                    return existing;
                }
                Path parent = nextLogDir();
                File dir =
                        parent.resolve(LogFileNames.logDirName(topicPartition)).toFile();
                PartitionLog log = PartitionLog.open(dir, logConfig, 0L, 0L, false, scheduler, clock);
                new PartitionMetadataFile(dir.toPath()).write(topicId);
                logs.put(topicPartition, log);
                LOG.info("Created log for {} (topic id {}) in {}", topicPartition, topicId, dir);
                return log;
            } catch (IOException e) {
                throw new KafkaStorageException("Failed to create log of " + topicPartition + ": " + e, e);
            }
        }
    }

    private Path nextLogDir() {
        Set<Path> offline = offlineLogDirs();
        Map<Path, Integer> counts = new HashMap<>();
        config.logDirs().stream().filter(d -> !offline.contains(d)).forEach(d -> counts.put(d, 0));
        for (PartitionLog log : logs.values()) {
            counts.computeIfPresent(log.dir().toPath().getParent(), (d, n) -> n + 1);
        }
        return config.logDirs().stream()
                .filter(counts::containsKey)
                .min(Comparator.comparingInt(counts::get))
                .orElseThrow(() -> new KafkaStorageException("Every log directory is offline: " + config.logDirs()));
    }

    /**
     * The log directories that are offline: one of their logs failed with an I/O error, or
     * their checkpoints could not be written. Once offline, a directory stays so until restart.
     */
    public Set<Path> offlineLogDirs() {
        return offlineDirs.update(logs.values());
    }

    /**
     * Closes the log of {@code topicPartition}, renames its directory {@code *.{uuid}-delete} and
     * removes it after {@code file.delete.delay.ms}. Its checkpoint entries go at the next write.
     *
     * @return false if there was no such log
     */
    public boolean deleteLog(TopicPartition topicPartition) {
        synchronized (creationLock) {
            PartitionLog log = logs.remove(topicPartition);
            if (log == null) {
                return false;
            }
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.warn("Failed to close log of {} before deleting it", topicPartition, e);
            }
            Path dir = log.dir().toPath();
            Path renamed = dir.resolveSibling(LogFileNames.deleteDirName(
                    topicPartition, Uuid.randomUuid().toString().replace("-", "")));
            try {
                Utils.atomicMoveWithFallback(dir, renamed, false);
            } catch (IOException e) {
                throw new KafkaStorageException(
                        "Failed to rename " + dir + " to " + renamed + " while deleting " + topicPartition + ": " + e,
                        e);
            }
            LOG.info(
                    "Deleted log of {}: {} renamed to {}, removed in {} ms",
                    topicPartition,
                    dir,
                    renamed,
                    log.config().fileDeleteDelayMs());
            scheduler.schedule(
                    () -> {
                        try {
                            Utils.delete(renamed.toFile());
                        } catch (IOException e) {
                            LOG.warn("Failed to remove deleted log directory {}", renamed, e);
                        }
                    },
                    log.config().fileDeleteDelayMs(),
                    TimeUnit.MILLISECONDS);
            checkpointQuietly();
            return true;
        }
    }

    /** A snapshot of every log. */
    public Collection<PartitionLog> allLogs() {
        return List.copyOf(logs.values());
    }

    /** Runs retention on every online log now (the scheduler does this periodically). */
    public void cleanupLogs() {
        for (PartitionLog log : allLogs()) {
            if (!log.isOffline()) {
                log.retention().deleteOldSegments();
            }
        }
    }

    /**
     * Writes the recovery-point, log-start-offset and replication-offset (high watermark)
     * checkpoints of every online log directory; a directory whose files cannot be written goes
     * offline, and the others are still written.
     *
     * @throws IOException the first directory's failure, the others suppressed in it
     */
    public void checkpoint() throws IOException {
        // the scheduler, a log deletion and shutdown all checkpoint: they share each file's .tmp
        synchronized (checkpointLock) {
            checkpointOnlineDirs();
        }
    }

    private void checkpointOnlineDirs() throws IOException {
        Set<Path> offline = offlineLogDirs();
        Exception failure = null;
        for (Path dir : config.logDirs()) {
            if (offline.contains(dir)) {
                continue;
            }
            try {
                checkpoint(dir);
            } catch (IOException | RuntimeException e) {
                offlineDirs.markOffline(dir, "its checkpoints could not be written (" + e + ")");
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure != null) {
            throw (RuntimeException) failure;
        }
    }

    /** Flushes the leader-epoch files of the online logs in {@code dir} and writes its offset checkpoints. */
    private void checkpoint(Path dir) throws IOException {
        List<PartitionLog> inDir = new ArrayList<>();
        for (PartitionLog log : logs.values()) {
            if (log.dir().toPath().getParent().equals(dir) && !log.isOffline()) {
                log.leaderEpochCache().flushIfDirty();
                inDir.add(log);
            }
        }
        LogDirCheckpoints.write(dir, inDir);
    }

    private void checkpointQuietly() {
        try {
            checkpoint();
        } catch (IOException | RuntimeException e) {
            LOG.error("Failed to write offset checkpoints in {}", config.logDirs(), e);
        }
    }

    public LogManagerConfig config() {
        return config;
    }

    /**
     * Clean shutdown: stops the background tasks, flushes and closes every log, writes the
     * checkpoints and the clean-shutdown marker (only in directories whose logs all closed
     * cleanly), and releases the directory locks. Idempotent.
     */
    public void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Path> dirtyDirs = new ArrayList<>();
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.error("Failed to close log of {} in {}", log.topicPartition(), log.dir(), e);
                dirtyDirs.add(log.dir().toPath().getParent());
            }
            if (log.isOffline()) {
                dirtyDirs.add(log.dir().toPath().getParent());
            }
        }
        try {
            checkpointQuietly();
            dirtyDirs.addAll(offlineLogDirs());
            for (Path dir : config.logDirs()) {
                if (!dirtyDirs.contains(dir)) {
                    Files.write(dir.resolve(LogFileNames.CLEAN_SHUTDOWN_FILE_NAME), new byte[0]);
                    Utils.flushDir(dir);
                }
            }
        } catch (IOException e) {
            LOG.error("Failed to write checkpoints or clean shutdown marker in {}", config.logDirs(), e);
        } finally {
            locks.releaseAll();
        }
        LOG.info("Log manager on {} shut down", config.logDirs());
    }

    @Override
    public void close() {
        shutdown();
    }

    private void abort() {
        shutDown = true;
        scheduler.shutdownNow();
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.warn("Failed to close log of {}", log.topicPartition(), e);
            }
        }
        locks.releaseAll();
    }

    private void ensureRunning() {
        if (shutDown) {
            throw new IllegalStateException("Log manager on " + config.logDirs() + " is shut down");
        }
    }
}
