package io.tributary.broker.quota;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How client quotas are measured, {@code tributary.broker.quota.*} (Kafka's names in brackets).
 *
 * @param windowNum  {@code quota.window.num}: samples a quota's rate is measured over
 * @param windowSize {@code quota.window.size.seconds}: the length of one sample; the rate covers
 *                   {@code windowNum × windowSize}, and a request-time throttle lasts at most one sample
 */
@Validated
@ConfigurationProperties("tributary.broker.quota")
public record ClientQuotaProperties(
        @Min(2) @DefaultValue("11") int windowNum,
        @DefaultValue("1s") Duration windowSize) {

    public ClientQuotaProperties {
        if (windowSize.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "tributary.broker.quota.window-size must be at least 1ms: " + windowSize);
        }
    }
}
