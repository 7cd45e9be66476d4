package io.tributary.common.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * The topic-level configurations Tributary knows, with Kafka's names, types, defaults and
 * validation (a {@link ConfigDef} from kafka-clients, so values parse exactly as Kafka parses
 * them). A topic znode stores overrides only; {@link #effective} adds the defaults.
 * Immutable and thread-safe.
 */
public final class TopicConfigs {

    /** The default {@code cleanup.policy}: time and size retention. */
    public static final String CLEANUP_POLICY_DELETE = TopicConfig.CLEANUP_POLICY_DELETE;
    /** The {@code cleanup.policy} of a compacted topic: the log cleaner keeps the latest record per key. */
    public static final String CLEANUP_POLICY_COMPACT = TopicConfig.CLEANUP_POLICY_COMPACT;

    private static final ConfigDef DEF = new ConfigDef()
            .define(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    Type.LIST,
                    CLEANUP_POLICY_DELETE,
                    TopicConfigs::validateCleanupPolicy,
                    Importance.MEDIUM,
                    TopicConfig.CLEANUP_POLICY_DOC)
            .define(
                    TopicConfig.RETENTION_MS_CONFIG,
                    Type.LONG,
                    604_800_000L,
                    Range.atLeast(-1),
                    Importance.MEDIUM,
                    TopicConfig.RETENTION_MS_DOC)
            .define(
                    TopicConfig.RETENTION_BYTES_CONFIG,
                    Type.LONG,
                    -1L,
                    Importance.MEDIUM,
                    TopicConfig.RETENTION_BYTES_DOC)
            .define(
                    TopicConfig.SEGMENT_BYTES_CONFIG,
                    Type.INT,
                    1_073_741_824,
                    Range.atLeast(14),
                    Importance.MEDIUM,
                    TopicConfig.SEGMENT_BYTES_DOC)
            .define(
                    TopicConfig.SEGMENT_MS_CONFIG,
                    Type.LONG,
                    604_800_000L,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    TopicConfig.SEGMENT_MS_DOC)
            .define(
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Type.INT,
                    1_048_588,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    TopicConfig.MAX_MESSAGE_BYTES_DOC)
            .define(
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                    Type.INT,
                    1,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    TopicConfig.MIN_IN_SYNC_REPLICAS_DOC)
            .define(
                    TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_DOC)
            .define(
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                    Type.STRING,
                    "CreateTime",
                    ValidString.in("CreateTime", "LogAppendTime"),
                    Importance.MEDIUM,
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_DOC)
            .define(
                    TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG,
                    Type.LONG,
                    Long.MAX_VALUE,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_DOC)
            .define(
                    TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG,
                    Type.LONG,
                    3_600_000L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_DOC)
            .define(
                    TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG,
                    Type.LONG,
                    Long.MAX_VALUE,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    TopicConfig.FLUSH_MESSAGES_INTERVAL_DOC)
            .define(
                    TopicConfig.FLUSH_MS_CONFIG,
                    Type.LONG,
                    Long.MAX_VALUE,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    TopicConfig.FLUSH_MS_DOC)
            .define(
                    TopicConfig.INDEX_INTERVAL_BYTES_CONFIG,
                    Type.INT,
                    4096,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    TopicConfig.INDEX_INTERVAL_BYTES_DOC)
            .define(
                    TopicConfig.SEGMENT_INDEX_BYTES_CONFIG,
                    Type.INT,
                    10_485_760,
                    Range.atLeast(4),
                    Importance.MEDIUM,
                    TopicConfig.SEGMENT_INDEX_BYTES_DOC)
            .define(
                    TopicConfig.FILE_DELETE_DELAY_MS_CONFIG,
                    Type.LONG,
                    60_000L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    TopicConfig.FILE_DELETE_DELAY_MS_DOC)
            .define(
                    TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
                    Type.DOUBLE,
                    0.5,
                    Range.between(0, 1),
                    Importance.MEDIUM,
                    TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_DOC)
            .define(
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                    Type.LONG,
                    0L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    TopicConfig.MIN_COMPACTION_LAG_MS_DOC)
            .define(
                    TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG,
                    Type.LONG,
                    Long.MAX_VALUE,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    TopicConfig.MAX_COMPACTION_LAG_MS_DOC)
            .define(
                    TopicConfig.DELETE_RETENTION_MS_CONFIG,
                    Type.LONG,
                    86_400_000L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    TopicConfig.DELETE_RETENTION_MS_DOC);

    private static final Map<String, Entry> ENTRIES;

    static {
        Map<String, Entry> entries = new TreeMap<>();
        DEF.configKeys()
                .forEach((name, key) -> entries.put(
                        name,
                        new Entry(
                                name,
                                key.type,
                                ConfigDef.convertToString(key.defaultValue, key.type),
                                key.documentation)));
        ENTRIES = Collections.unmodifiableMap(entries);
    }

    /**
     * One known topic configuration.
     *
     * @param name          Kafka's config name
     * @param type          its type, as Kafka's DescribeConfigs reports it
     * @param defaultValue  the default as a string, as Kafka prints it
     * @param documentation Kafka's description
     */
    public record Entry(String name, Type type, String defaultValue, String documentation) {}

    private TopicConfigs() {}

    /** Every known config, by name in alphabetical order. */
    public static Map<String, Entry> entries() {
        return ENTRIES;
    }

    public static Optional<Entry> entry(String name) {
        return Optional.ofNullable(ENTRIES.get(name));
    }

    public static Set<String> names() {
        return ENTRIES.keySet();
    }

    /**
     * Checks names and values of topic-level overrides.
     *
     * @return the overrides in name order, values trimmed
     * @throws InvalidConfigurationException naming the first unknown config or bad value
     */
    public static Map<String, String> validate(Map<String, String> overrides) {
        Map<String, String> valid = new TreeMap<>();
        if (overrides == null) {
            return valid;
        }
        overrides.forEach((name, value) -> {
            ConfigDef.ConfigKey key = DEF.configKeys().get(name);
            if (key == null) {
                throw new InvalidConfigurationException("Unknown topic config name: " + name);
            }
            if (value == null) {
                throw new InvalidConfigurationException("Null value for topic config " + name);
            }
            String trimmed = value.trim();
            try {
                Object parsed = ConfigDef.parseType(name, trimmed, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(name, parsed);
                }
            } catch (ConfigException e) {
                throw new InvalidConfigurationException(e.getMessage());
            }
            valid.put(name, trimmed);
        });
        return valid;
    }

    /** Overrides plus the defaults of every known config not overridden, in name order. */
    public static Map<String, String> effective(Map<String, String> overrides) {
        Map<String, String> effective = new LinkedHashMap<>();
        ENTRIES.forEach((name, entry) -> effective.put(
                name, overrides != null && overrides.containsKey(name) ? overrides.get(name) : entry.defaultValue()));
        return effective;
    }

    /** The parsed value of a config: the override when there is one, else the default. */
    public static Object value(Map<String, String> overrides, String name) {
        ConfigDef.ConfigKey key = DEF.configKeys().get(name);
        if (key == null) {
            throw new IllegalArgumentException("Unknown topic config name: " + name);
        }
        String override = overrides == null ? null : overrides.get(name);
        return override == null ? key.defaultValue : ConfigDef.parseType(name, override, key.type);
    }

    /** {@code unclean.leader.election.enable} of a topic with these overrides. */
    public static boolean uncleanLeaderElectionEnabled(Map<String, String> overrides) {
        return (Boolean) value(overrides, TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG);
    }

    private static void validateCleanupPolicy(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> policies = (List<String>) value;
        if (policies.isEmpty()) {
            throw new ConfigException(name, value, "must not be empty");
        }
        for (String policy : policies) {
            if (!CLEANUP_POLICY_DELETE.equals(policy) && !CLEANUP_POLICY_COMPACT.equals(policy)) {
                throw new ConfigException(name, value, "must be a list of 'delete' and 'compact'");
            }
        }
    }
}
