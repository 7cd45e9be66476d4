package io.tributary.broker.producer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long partitions remember idle producers, {@code tributary.broker.producer-id-expiration*}
 * (Kafka's names in brackets). Bound beside {@link io.tributary.broker.config.BrokerProperties}
 * under the same prefix.
 *
 * @param producerIdExpiration              {@code producer.id.expiration.ms}: a producer with no open
 *                                          transaction on a partition whose last write there is this
 *                                          old is forgotten by the partition (see
 *                                          {@link ProducerStateManager#removeExpiredProducers})
 * @param producerIdExpirationCheckInterval {@code producer.id.expiration.check.interval.ms}: how
 *                                          often every partition looks for such producers
 */
@Validated
@ConfigurationProperties("tributary.broker")
public record ProducerStateProperties(
        @DefaultValue("1d") Duration producerIdExpiration,
        @DefaultValue("10m") Duration producerIdExpirationCheckInterval) {

    /** Kafka's defaults: one day, checked every ten minutes. */
    public static final ProducerStateProperties DEFAULTS = new ProducerStateProperties(
            Duration.ofMillis(ProducerStateManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS), Duration.ofMinutes(10));

    public ProducerStateProperties {
        requirePositive("producer-id-expiration", producerIdExpiration);
        requirePositive("producer-id-expiration-check-interval", producerIdExpirationCheckInterval);
    }

    private static void requirePositive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("tributary.broker." + key + " (" + value + ") must be positive");
        }
    }
}
