package io.tributary.storage.log;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * The per-topic storage configuration, with Kafka's topic-level names and defaults. Immutable and
 * thread-safe; a {@link PartitionLog} picks up a new instance through {@link PartitionLog#updateConfig}.
 *
 * @param segmentBytes      {@code segment.bytes}: roll the active segment before it would exceed this size
 * @param segmentMs         {@code segment.ms}: roll when the first batch of the active segment is this old
 * @param segmentIndexBytes {@code segment.index.bytes}: preallocated size of each index file; a full index rolls
 * @param indexIntervalBytes {@code index.interval.bytes}: log bytes between two sparse index entries
 * @param retentionMs       {@code retention.ms}: delete segments whose newest record is older; -1 = forever
 * @param retentionBytes    {@code retention.bytes}: delete oldest segments while the log is larger; -1 = unlimited
 * @param maxMessageBytes   {@code max.message.bytes}: largest accepted record batch
 * @param flushMessages     {@code flush.messages}: fsync after this many unflushed records (MAX = leave it to the OS)
 * @param flushMs           {@code flush.ms}: fsync when the last flush is this old (MAX = leave it to the OS)
 * @param fileDeleteDelayMs {@code file.delete.delay.ms}: how long a deleted segment's files stay (renamed
 *                          {@code .deleted}) so that in-flight zero-copy reads of them complete
 * @param cleanupPolicy     {@code cleanup.policy}: {@code delete} (time and size retention) and/or
 *                          {@code compact} (the log cleaner keeps the latest record of each key)
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: the cleaner takes a compacted log once
 *                          this share of its bytes is dirty (written since the last cleaning)
 * @param minCompactionLagMs {@code min.compaction.lag.ms}: a record stays uncompacted at least this long
 * @param maxCompactionLagMs {@code max.compaction.lag.ms}: a record is compacted at most this long after it
 *                          was written, whatever the dirty ratio
 * @param deleteRetentionMs {@code delete.retention.ms}: how long a tombstone (null value) stays after the
 *                          cleaning that first saw it
 * @param logAppendTime     {@code message.timestamp.type} is {@code LogAppendTime}: the timestamp bounds
 *                          below are not checked
 * @param timestampBeforeMaxMs {@code message.timestamp.before.max.ms}: a leader refuses a record whose
 *                          (CreateTime) timestamp is more than this before its clock
 * @param timestampAfterMaxMs {@code message.timestamp.after.max.ms}: a leader refuses a record whose
 *                          (CreateTime) timestamp is more than this after its clock
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int segmentIndexBytes,
        int indexIntervalBytes,
        long retentionMs,
        long retentionBytes,
        int maxMessageBytes,
        long flushMessages,
        long flushMs,
        long fileDeleteDelayMs,
        List<String> cleanupPolicy,
        double minCleanableDirtyRatio,
        long minCompactionLagMs,
        long maxCompactionLagMs,
        long deleteRetentionMs,
        boolean logAppendTime,
        long timestampBeforeMaxMs,
        long timestampAfterMaxMs) {

    public static final String SEGMENT_BYTES_CONFIG = "segment.bytes";
    public static final String SEGMENT_MS_CONFIG = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES_CONFIG = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES_CONFIG = "index.interval.bytes";
    public static final String RETENTION_MS_CONFIG = "retention.ms";
    public static final String RETENTION_BYTES_CONFIG = "retention.bytes";
    public static final String MAX_MESSAGE_BYTES_CONFIG = "max.message.bytes";
    public static final String FLUSH_MESSAGES_CONFIG = "flush.messages";
    public static final String FLUSH_MS_CONFIG = "flush.ms";
    public static final String FILE_DELETE_DELAY_MS_CONFIG = "file.delete.delay.ms";
    public static final String CLEANUP_POLICY_CONFIG = "cleanup.policy";
    public static final String MIN_CLEANABLE_DIRTY_RATIO_CONFIG = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS_CONFIG = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS_CONFIG = "max.compaction.lag.ms";
    public static final String DELETE_RETENTION_MS_CONFIG = "delete.retention.ms";
    public static final String MESSAGE_TIMESTAMP_TYPE_CONFIG = "message.timestamp.type";
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG = "message.timestamp.before.max.ms";
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG = "message.timestamp.after.max.ms";

    public static final String CLEANUP_POLICY_DELETE = "delete";
    public static final String CLEANUP_POLICY_COMPACT = "compact";

    public static final int DEFAULT_SEGMENT_BYTES = 1024 * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 60 * 60 * 1000;
    public static final int DEFAULT_SEGMENT_INDEX_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_RETENTION_BYTES = -1L;
    /** 1 MiB plus the 12-byte log overhead, as in Kafka. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + 12;

    public static final long DEFAULT_FLUSH_MESSAGES = Long.MAX_VALUE;
    public static final long DEFAULT_FLUSH_MS = Long.MAX_VALUE;
    public static final long DEFAULT_FILE_DELETE_DELAY_MS = 60_000L;
    public static final double DEFAULT_MIN_CLEANABLE_DIRTY_RATIO = 0.5;
    public static final long DEFAULT_MIN_COMPACTION_LAG_MS = 0L;
    public static final long DEFAULT_MAX_COMPACTION_LAG_MS = Long.MAX_VALUE;
    public static final long DEFAULT_DELETE_RETENTION_MS = 24L * 60 * 60 * 1000;
    public static final long DEFAULT_TIMESTAMP_BEFORE_MAX_MS = Long.MAX_VALUE;
    /** Kafka 4's default: a CreateTime more than an hour ahead of the broker is refused. */
    public static final long DEFAULT_TIMESTAMP_AFTER_MAX_MS = 60L * 60 * 1000;

    /** Smallest accepted {@code segment.bytes}: room for one batch header. */
    public static final int MIN_SEGMENT_BYTES = 64;
    /** Smallest accepted {@code segment.index.bytes}: two time-index entries (one is reserved for the roll). */
    public static final int MIN_SEGMENT_INDEX_BYTES = 24;

    public LogConfig {
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        cleanupPolicy = List.copyOf(cleanupPolicy);
        requireAtLeast(SEGMENT_BYTES_CONFIG, segmentBytes, MIN_SEGMENT_BYTES);
        requireAtLeast(SEGMENT_MS_CONFIG, segmentMs, 1);
        requireAtLeast(SEGMENT_INDEX_BYTES_CONFIG, segmentIndexBytes, MIN_SEGMENT_INDEX_BYTES);
        requireAtLeast(INDEX_INTERVAL_BYTES_CONFIG, indexIntervalBytes, 0);
        requireAtLeast(RETENTION_MS_CONFIG, retentionMs, -1);
        requireAtLeast(RETENTION_BYTES_CONFIG, retentionBytes, -1);
        requireAtLeast(MAX_MESSAGE_BYTES_CONFIG, maxMessageBytes, 0);
        requireAtLeast(FLUSH_MESSAGES_CONFIG, flushMessages, 1);
        requireAtLeast(FLUSH_MS_CONFIG, flushMs, 0);
        requireAtLeast(FILE_DELETE_DELAY_MS_CONFIG, fileDeleteDelayMs, 0);
        requireAtLeast(MIN_COMPACTION_LAG_MS_CONFIG, minCompactionLagMs, 0);
        requireAtLeast(MAX_COMPACTION_LAG_MS_CONFIG, maxCompactionLagMs, 1);
        requireAtLeast(DELETE_RETENTION_MS_CONFIG, deleteRetentionMs, 0);
        requireAtLeast(MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, timestampBeforeMaxMs, 0);
        requireAtLeast(MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, timestampAfterMaxMs, 0);
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new InvalidConfigurationException("Invalid value " + minCleanableDirtyRatio + " for configuration "
                    + MIN_CLEANABLE_DIRTY_RATIO_CONFIG + ": must be between 0 and 1");
        }
        if (minCompactionLagMs > maxCompactionLagMs) {
            throw new InvalidConfigurationException("Invalid value " + minCompactionLagMs + " for configuration "
                    + MIN_COMPACTION_LAG_MS_CONFIG + ": must not exceed " + MAX_COMPACTION_LAG_MS_CONFIG + " ("
                    + maxCompactionLagMs + ")");
        }
        if (cleanupPolicy.isEmpty()) {
            throw new InvalidConfigurationException("Invalid value [] for configuration " + CLEANUP_POLICY_CONFIG
                    + ": must list at least one of [delete, compact]");
        }
        for (String policy : cleanupPolicy) {
            if (!policy.equals(CLEANUP_POLICY_DELETE) && !policy.equals(CLEANUP_POLICY_COMPACT)) {
                throw new InvalidConfigurationException("Invalid value " + policy + " for configuration "
                        + CLEANUP_POLICY_CONFIG + ": must be one of [delete, compact]");
            }
        }
    }

    /** Kafka's defaults. */
    public static LogConfig defaults() {
        return new LogConfig(
                DEFAULT_SEGMENT_BYTES,
                DEFAULT_SEGMENT_MS,
                DEFAULT_SEGMENT_INDEX_BYTES,
                DEFAULT_INDEX_INTERVAL_BYTES,
                DEFAULT_RETENTION_MS,
                DEFAULT_RETENTION_BYTES,
                DEFAULT_MAX_MESSAGE_BYTES,
                DEFAULT_FLUSH_MESSAGES,
                DEFAULT_FLUSH_MS,
                DEFAULT_FILE_DELETE_DELAY_MS,
                List.of(CLEANUP_POLICY_DELETE),
                DEFAULT_MIN_CLEANABLE_DIRTY_RATIO,
                DEFAULT_MIN_COMPACTION_LAG_MS,
                DEFAULT_MAX_COMPACTION_LAG_MS,
                DEFAULT_DELETE_RETENTION_MS,
                false,
                DEFAULT_TIMESTAMP_BEFORE_MAX_MS,
                DEFAULT_TIMESTAMP_AFTER_MAX_MS);
    }

    /** Kafka's defaults with the given topic overrides; see {@link #withOverrides}. */
    public static LogConfig fromMap(Map<String, String> overrides) {
        return defaults().withOverrides(overrides);
    }

    /**
     * This configuration with topic overrides applied. Keys this module does not use (for example
     * {@code min.insync.replicas}) are ignored, since a topic's config map holds them too.
     *
     * @throws InvalidConfigurationException naming the key and the value when a value does not parse
     *                                       or is out of range
     */
    public LogConfig withOverrides(Map<String, String> overrides) {
        return new LogConfig(
                intValue(overrides, SEGMENT_BYTES_CONFIG, segmentBytes),
                longValue(overrides, SEGMENT_MS_CONFIG, segmentMs),
                intValue(overrides, SEGMENT_INDEX_BYTES_CONFIG, segmentIndexBytes),
                intValue(overrides, INDEX_INTERVAL_BYTES_CONFIG, indexIntervalBytes),
                longValue(overrides, RETENTION_MS_CONFIG, retentionMs),
                longValue(overrides, RETENTION_BYTES_CONFIG, retentionBytes),
                intValue(overrides, MAX_MESSAGE_BYTES_CONFIG, maxMessageBytes),
                longValue(overrides, FLUSH_MESSAGES_CONFIG, flushMessages),
                longValue(overrides, FLUSH_MS_CONFIG, flushMs),
                longValue(overrides, FILE_DELETE_DELAY_MS_CONFIG, fileDeleteDelayMs),
                overrides.containsKey(CLEANUP_POLICY_CONFIG)
                        ? List.of(overrides.get(CLEANUP_POLICY_CONFIG).trim().split("\\s*,\\s*"))
                        : cleanupPolicy,
                doubleValue(overrides, MIN_CLEANABLE_DIRTY_RATIO_CONFIG, minCleanableDirtyRatio),
                longValue(overrides, MIN_COMPACTION_LAG_MS_CONFIG, minCompactionLagMs),
                longValue(overrides, MAX_COMPACTION_LAG_MS_CONFIG, maxCompactionLagMs),
                longValue(overrides, DELETE_RETENTION_MS_CONFIG, deleteRetentionMs),
                overrides.containsKey(MESSAGE_TIMESTAMP_TYPE_CONFIG)
                        ? "LogAppendTime"
                                .equals(overrides
                                        .get(MESSAGE_TIMESTAMP_TYPE_CONFIG)
                                        .trim())
                        : logAppendTime,
                longValue(overrides, MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, timestampBeforeMaxMs),
                longValue(overrides, MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, timestampAfterMaxMs));
    }

    /** Whether the log cleaner compacts this log ({@code cleanup.policy} lists {@code compact}). */
    public boolean compactionEnabled() {
        return cleanupPolicy.contains(CLEANUP_POLICY_COMPACT);
    }

    /** Whether time and size retention apply ({@code cleanup.policy} lists {@code delete}). */
    public boolean deleteRetentionEnabled() {
        return cleanupPolicy.contains(CLEANUP_POLICY_DELETE);
    }

    private static int intValue(Map<String, String> overrides, String key, int current) {
        long value = longValue(overrides, key, current);
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw new InvalidConfigurationException(
                    "Invalid value " + overrides.get(key) + " for configuration " + key + ": must be a 32-bit integer");
        }
        return (int) value;
    }

    private static long longValue(Map<String, String> overrides, String key, long current) {
        String raw = overrides.get(key);
        if (raw == null) {
            return current;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(
                    "Invalid value " + raw + " for configuration " + key + ": not a number");
        }
    }

    private static double doubleValue(Map<String, String> overrides, String key, double current) {
        String raw = overrides.get(key);
        if (raw == null) {
            return current;
        }
        try {
            return Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(
                    "Invalid value " + raw + " for configuration " + key + ": not a number");
        }
    }

    private static void requireAtLeast(String key, long value, long min) {
        if (value < min) {
            throw new InvalidConfigurationException(
                    "Invalid value " + value + " for configuration " + key + ": must be at least " + min);
        }
    }
}
