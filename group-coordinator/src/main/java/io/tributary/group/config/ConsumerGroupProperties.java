package io.tributary.group.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of KIP-848 consumer groups ({@code group.protocol=consumer}), prefix
 * {@code tributary.group.consumer}. Names and defaults are Kafka's broker settings for the same
 * things (the Kafka name is given per key).
 *
 * @param sessionTimeout    how long a member may go without a heartbeat before it is removed
 *                          and its partitions reassigned
 *                          (Kafka {@code group.consumer.session.timeout.ms}, 45 s)
 * @param heartbeatInterval how often members are told to heartbeat; also how soon a member
 *                          waiting for a partition hears that it was released
 *                          (Kafka {@code group.consumer.heartbeat.interval.ms}, 5 s)
 * @param maxSize           most members a consumer group may have; one more is refused with
 *                          {@code GROUP_MAX_SIZE_REACHED} (Kafka {@code group.consumer.max.size})
 * @param assignors         the server-side assignors members may ask for by name; the first is
 *                          the default (Kafka {@code group.consumer.assignors}, uniform and range)
 */
@Validated
@ConfigurationProperties("tributary.group.consumer")
public record ConsumerGroupProperties(
        @DefaultValue("45s") @NotNull Duration sessionTimeout,
        @DefaultValue("5s") @NotNull Duration heartbeatInterval,
        @DefaultValue("2147483647") @Min(1) int maxSize,
        @DefaultValue({"uniform", "range"}) @NotEmpty List<String> assignors) {

    public ConsumerGroupProperties {
        if (sessionTimeout != null && heartbeatInterval != null && heartbeatInterval.compareTo(sessionTimeout) >= 0) {
            throw new IllegalArgumentException("tributary.group.consumer.heartbeat-interval (" + heartbeatInterval
                    + ") must be shorter than tributary.group.consumer.session-timeout (" + sessionTimeout + ")");
        }
        assignors = assignors == null ? null : List.copyOf(assignors);
    }

    /** Kafka's defaults, for tests and for code that runs without Spring. */
    public static ConsumerGroupProperties defaults() {
        return new ConsumerGroupProperties(
                Duration.ofSeconds(45), Duration.ofSeconds(5), Integer.MAX_VALUE, List.of("uniform", "range"));
    }
}
