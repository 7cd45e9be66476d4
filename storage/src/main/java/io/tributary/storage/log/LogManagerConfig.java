package io.tributary.storage.log;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Broker-level storage configuration (Kafka's {@code log.*} broker settings). Immutable.
 *
 * @param logDirs                    {@code log.dirs}: the directories holding partition directories
 * @param defaultConfig              the topic config of logs found on disk at startup, until
 *                                   {@link LogManager#getOrCreateLog} supplies the topic's own
 * @param retentionCheckIntervalMs   {@code log.retention.check.interval.ms} (5 minutes)
 * @param flushCheckIntervalMs       {@code log.flush.scheduler.interval.ms}: how often {@code flush.ms} is
 *                                   checked (Kafka's default is never; ours is 1 s, a no-op unless
 *                                   {@code flush.ms} is set)
 * @param checkpointIntervalMs       {@code log.flush.offset.checkpoint.interval.ms}: how often the recovery
 *                                   point, log start offset and high watermark checkpoints are written (60 s)
 */
public record LogManagerConfig(
        List<Path> logDirs,
        LogConfig defaultConfig,
        long retentionCheckIntervalMs,
        long flushCheckIntervalMs,
        long checkpointIntervalMs) {

    public static final long DEFAULT_RETENTION_CHECK_INTERVAL_MS = 5 * 60 * 1000L;
    public static final long DEFAULT_FLUSH_CHECK_INTERVAL_MS = 1000L;
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000L;

    public LogManagerConfig {
        logDirs = List.copyOf(logDirs);
        Objects.requireNonNull(defaultConfig, "defaultConfig");
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("At least one log directory is required");
        }
        if (retentionCheckIntervalMs <= 0 || flushCheckIntervalMs <= 0 || checkpointIntervalMs <= 0) {
            throw new IllegalArgumentException("Scheduler intervals must be positive: retention "
                    + retentionCheckIntervalMs + ", flush " + flushCheckIntervalMs + ", checkpoint "
                    + checkpointIntervalMs);
        }
    }

    /** The given directories with Kafka's defaults. */
    public static LogManagerConfig of(List<Path> logDirs) {
        return new LogManagerConfig(
                logDirs,
                LogConfig.defaults(),
                DEFAULT_RETENTION_CHECK_INTERVAL_MS,
                DEFAULT_FLUSH_CHECK_INTERVAL_MS,
                DEFAULT_CHECKPOINT_INTERVAL_MS);
    }
}
