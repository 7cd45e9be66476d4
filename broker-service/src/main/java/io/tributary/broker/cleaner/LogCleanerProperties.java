package io.tributary.broker.cleaner;

import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.cleaner.CleanerConfig;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The log cleaner's broker settings, {@code tributary.broker.log-cleaner-*} (Kafka's
 * {@code log.cleaner.*} names in brackets). The last four are the defaults of the topic configs
 * in brackets for topics that do not set them. Bound beside
 * {@link io.tributary.broker.config.BrokerProperties} under the same prefix.
 *
 * @param logCleanerEnable              {@code log.cleaner.enable}: compact topics with {@code cleanup.policy=compact}
 * @param logCleanerThreads             {@code log.cleaner.threads}: logs cleaned at the same time
 * @param logCleanerDedupeBufferSize    {@code log.cleaner.dedupe.buffer.size}: memory for the key → offset maps
 *                                      of all cleaner threads (24 bytes a key), allocated at the first cleaning;
 *                                      Kafka's default is 128MB, ours 16MB (over 600,000 keys a cleaning) for small heaps
 * @param logCleanerIoBufferSize        {@code log.cleaner.io.buffer.size}: each thread's read and write buffers
 * @param logCleanerIoMaxBytesPerSecond {@code log.cleaner.io.max.bytes.per.second}: reads plus writes of all
 *                                      cleaner threads; unlimited by default
 * @param logCleanerBackoff             {@code log.cleaner.backoff.ms}: a thread's sleep when no log needs cleaning
 * @param logCleanerMinCleanableRatio   {@code log.cleaner.min.cleanable.ratio} ({@code min.cleanable.dirty.ratio})
 * @param logCleanerMinCompactionLag    {@code log.cleaner.min.compaction.lag.ms} ({@code min.compaction.lag.ms})
 * @param logCleanerMaxCompactionLag    {@code log.cleaner.max.compaction.lag.ms} ({@code max.compaction.lag.ms})
 * @param logCleanerDeleteRetention     {@code log.cleaner.delete.retention.ms} ({@code delete.retention.ms})
 */
@Validated
@ConfigurationProperties("tributary.broker")
public record LogCleanerProperties(
        @DefaultValue("true") boolean logCleanerEnable,
        @Min(1) @DefaultValue("1") int logCleanerThreads,
        @DefaultValue("16MB") DataSize logCleanerDedupeBufferSize,
        @DefaultValue("512KB") DataSize logCleanerIoBufferSize,

        @DecimalMin(value = "0", inclusive = false) @DefaultValue("1.7976931348623157E308")
        double logCleanerIoMaxBytesPerSecond,

        @DefaultValue("15s") Duration logCleanerBackoff,

        @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.5")
        double logCleanerMinCleanableRatio,

        @DefaultValue("0ms") Duration logCleanerMinCompactionLag,
        @DefaultValue("9223372036854775807ms") Duration logCleanerMaxCompactionLag,
        @DefaultValue("1d") Duration logCleanerDeleteRetention) {

    /** The cleaner's own settings. */
    public CleanerConfig cleanerConfig() {
        return new CleanerConfig(
                logCleanerEnable,
                logCleanerThreads,
                logCleanerDedupeBufferSize.toBytes(),
                (int) Math.min(Integer.MAX_VALUE, logCleanerIoBufferSize.toBytes()),
                logCleanerIoMaxBytesPerSecond,
                logCleanerBackoff.toMillis());
    }

    /** Kafka's topic defaults with the broker's compaction defaults, for topics that do not override them. */
    public LogConfig topicDefaults() {
        return LogConfig.defaults()
                .withOverrides(Map.of(
                        LogConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, String.valueOf(logCleanerMinCleanableRatio),
                        LogConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(logCleanerMinCompactionLag.toMillis()),
                        LogConfig.MAX_COMPACTION_LAG_MS_CONFIG, String.valueOf(logCleanerMaxCompactionLag.toMillis()),
                        LogConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(logCleanerDeleteRetention.toMillis())));
    }
}
