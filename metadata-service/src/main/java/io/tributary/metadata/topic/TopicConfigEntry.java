package io.tributary.metadata.topic;

/**
 * One effective topic configuration, as Kafka's DescribeConfigs reports it.
 *
 * @param name   Kafka's config name
 * @param value  the effective value
 * @param source {@code TOPIC} for an override, {@code DEFAULT} for the default
 * @param type   the config type ({@code BOOLEAN}, {@code STRING}, {@code INT}, {@code LONG}, {@code LIST})
 */
public record TopicConfigEntry(String name, String value, String source, String type) {

    public static final String SOURCE_TOPIC = "TOPIC";
    public static final String SOURCE_DEFAULT = "DEFAULT";
}
