package io.tributary.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** {@code tributary.broker.producer-id-expiration*}: Kafka's defaults, overrides and what is refused. */
class ProducerStatePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ProducerStateProperties.class)
    static class Config {}

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void shouldDefaultToKafkasOneDayCheckedEveryTenMinutes() {
        runner.run(context -> {
            ProducerStateProperties p = context.getBean(ProducerStateProperties.class);
            assertThat(p.producerIdExpiration().toMillis()).isEqualTo(86_400_000L);
            assertThat(p.producerIdExpirationCheckInterval().toMillis()).isEqualTo(600_000L);
            assertThat(p).isEqualTo(ProducerStateProperties.DEFAULTS);
        });
    }

    @Test
    void shouldBindOverridesAndRefuseANonPositiveDuration() {
        runner.withPropertyValues(
                        "tributary.broker.producer-id-expiration=2h",
                        "tributary.broker.producer-id-expiration-check-interval=30s")
                .run(context -> {
                    ProducerStateProperties p = context.getBean(ProducerStateProperties.class);
                    assertThat(p.producerIdExpiration()).isEqualTo(Duration.ofHours(2));
                    assertThat(p.producerIdExpirationCheckInterval()).isEqualTo(Duration.ofSeconds(30));
                });
        runner.withPropertyValues("tributary.broker.producer-id-expiration=0s")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("tributary.broker.producer-id-expiration-check-interval=-1s")
                .run(context -> assertThat(context).hasFailed());
    }
}
