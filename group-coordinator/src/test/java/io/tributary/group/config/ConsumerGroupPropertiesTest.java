package io.tributary.group.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** {@code tributary.group.consumer.*}: Kafka's defaults, overrides, and refusal of impossible values. */
class ConsumerGroupPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ConsumerGroupProperties.class)
    static class Config {}

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void shouldDefaultToKafkasSettings() {
        runner.run(context -> {
            ConsumerGroupProperties p = context.getBean(ConsumerGroupProperties.class);
            assertThat(p).isEqualTo(ConsumerGroupProperties.defaults());
            assertThat(p.sessionTimeout()).isEqualTo(Duration.ofSeconds(45));
            assertThat(p.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(p.maxSize()).isEqualTo(Integer.MAX_VALUE);
            assertThat(p.assignors()).containsExactly("uniform", "range");
        });
    }

    @Test
    void shouldBindOverrides() {
        runner.withPropertyValues(
                        "tributary.group.consumer.session-timeout=10s",
                        "tributary.group.consumer.heartbeat-interval=500ms",
                        "tributary.group.consumer.max-size=3",
                        "tributary.group.consumer.assignors=range,uniform")
                .run(context -> {
                    ConsumerGroupProperties p = context.getBean(ConsumerGroupProperties.class);
                    assertThat(p.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(p.heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
                    assertThat(p.maxSize()).isEqualTo(3);
                    assertThat(p.assignors()).isEqualTo(List.of("range", "uniform"));
                });
    }

    @Test
    void shouldRefuseAHeartbeatIntervalNotShorterThanTheSessionAndNoAssignors() {
        runner.withPropertyValues("tributary.group.consumer.heartbeat-interval=45s")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("tributary.group.consumer.assignors=")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("tributary.group.consumer.max-size=0")
                .run(context -> assertThat(context).hasFailed());
    }
}
