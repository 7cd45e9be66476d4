package io.tributary.group.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the group-coordinator service, prefix {@code tributary.group}. Defaults are
 * Kafka's broker defaults for the same settings (the Kafka name is given per key).
 *
 * @param dataDir                       directory of the service's local state, created if missing;
 *                                      the default H2 database file lives here
 *                                      ({@code <dataDir>/groups.mv.db}); absolute, or relative
 *                                      starting with {@code ./} (H2 refuses other relative paths)
 * @param kafkaHost                     address the Kafka-protocol listener binds to
 * @param kafkaPort                     port of the Kafka-protocol listener the brokers forward
 *                                      group requests to (0 picks a free port; published in the
 *                                      discovery record's {@code kafkaPort} metadata)
 * @param kafkaIoThreads                Netty event loops of the Kafka-protocol listener
 * @param initialRebalanceDelay         how long the first rebalance of an empty group waits for
 *                                      more members before completing, extended by the same delay
 *                                      for every new member up to the rebalance timeout
 *                                      (Kafka {@code group.initial.rebalance.delay.ms}, 3 s)
 * @param minSessionTimeout             smallest session timeout a member may ask for
 *                                      (Kafka {@code group.min.session.timeout.ms}, 6 s)
 * @param maxSessionTimeout             largest session timeout a member may ask for
 *                                      (Kafka {@code group.max.session.timeout.ms}, 30 min)
 * @param maxSize                       most members a group may have
 *                                      (Kafka {@code group.max.size}, unbounded)
 * @param offsetsRetention              how long committed offsets of a group without members
 *                                      are kept (Kafka {@code offsets.retention.minutes}, 7 days)
 * @param offsetsRetentionCheckInterval how often expired offsets are looked for
 *                                      (Kafka {@code offsets.retention.check.interval.ms}, 10 min)
 * @param offsetMetadataMaxSize         longest metadata string a commit may carry; longer ones
 *                                      get {@code OFFSET_METADATA_TOO_LARGE}
 *                                      (Kafka {@code offset.metadata.max.bytes}, 4096; at most
 *                                      65535, the column size)
 * @param databaseThreads               threads that run database work (commits, fetches,
 *                                      listings), so that no request thread ever waits on JDBC
 * @param offsetsHistoryRetention       how long every offset commit is kept in the commit history
 *                                      (with its time, member and client id) for the history API
 *                                      and resets to a past commit time; pruned every
 *                                      {@code offsetsRetentionCheckInterval} (Tributary's own
 *                                      {@code offsets.history.retention}, 7 days)
 * @param storeKeepaliveInterval        how often one pooled store connection runs a trivial query
 *                                      (Tributary's own), so that a broken connection is replaced
 *                                      before a takeover needs it: with the shared H2 file, the
 *                                      survivor of the instance that served it reopens the file
 *                                      while ZooKeeper still waits for the dead session to expire
 */
@Validated
@ConfigurationProperties("tributary.group")
public record GroupCoordinatorProperties(
        @DefaultValue("./data/group-coordinator") @NotNull Path dataDir,
        @DefaultValue("0.0.0.0") @NotNull String kafkaHost,
        @DefaultValue("9192") @Min(0) @Max(65535) int kafkaPort,
        @DefaultValue("2") @Min(1) int kafkaIoThreads,
        @DefaultValue("3s") @NotNull Duration initialRebalanceDelay,
        @DefaultValue("6s") @NotNull Duration minSessionTimeout,
        @DefaultValue("30m") @NotNull Duration maxSessionTimeout,
        @DefaultValue("2147483647") @Min(1) int maxSize,
        @DefaultValue("7d") @NotNull Duration offsetsRetention,
        @DefaultValue("10m") @NotNull Duration offsetsRetentionCheckInterval,
        @DefaultValue("4096B") @NotNull DataSize offsetMetadataMaxSize,
        @DefaultValue("4") @Min(1) int databaseThreads,
        @DefaultValue("7d") @NotNull Duration offsetsHistoryRetention,
        @DefaultValue("1s") @NotNull Duration storeKeepaliveInterval) {

    /** The largest metadata string the {@code committed_offset.metadata} column holds. */
    public static final int METADATA_COLUMN_SIZE = 65535;

    public GroupCoordinatorProperties {
        if (offsetMetadataMaxSize != null && offsetMetadataMaxSize.toBytes() > METADATA_COLUMN_SIZE) {
            throw new IllegalArgumentException("tributary.group.offset-metadata-max-size must be at most "
                    + METADATA_COLUMN_SIZE + " bytes, was " + offsetMetadataMaxSize);
        }
        if (minSessionTimeout != null
                && maxSessionTimeout != null
                && minSessionTimeout.compareTo(maxSessionTimeout) > 0) {
            throw new IllegalArgumentException("tributary.group.min-session-timeout (" + minSessionTimeout
                    + ") exceeds tributary.group.max-session-timeout (" + maxSessionTimeout + ")");
        }
    }

    /** Kafka's defaults, for tests and for code that runs without Spring. */
    public static GroupCoordinatorProperties defaults() {
        return new GroupCoordinatorProperties(
                Path.of("data/group-coordinator"),
                "0.0.0.0",
                9192,
                2,
                Duration.ofSeconds(3),
                Duration.ofSeconds(6),
                Duration.ofMinutes(30),
                Integer.MAX_VALUE,
                Duration.ofDays(7),
                Duration.ofMinutes(10),
                DataSize.ofBytes(4096),
                4,
                Duration.ofDays(7),
                Duration.ofSeconds(1));
    }
}
