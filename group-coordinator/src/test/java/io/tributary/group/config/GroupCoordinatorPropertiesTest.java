package io.tributary.group.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** {@code tributary.group.*}: Kafka's defaults, overrides, and refusal of impossible values. */
class GroupCoordinatorPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(GroupCoordinatorProperties.class)
    static class Config {}

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void shouldDefaultToKafkasSettings() {
        runner.run(context -> {
            GroupCoordinatorProperties p = context.getBean(GroupCoordinatorProperties.class);
            assertThat(p).isEqualTo(GroupCoordinatorProperties.defaults());
            assertThat(p.dataDir()).isEqualTo(Path.of("data/group-coordinator"));
            assertThat(p.kafkaPort()).isEqualTo(9192);
            assertThat(p.initialRebalanceDelay()).isEqualTo(Duration.ofSeconds(3));
            assertThat(p.minSessionTimeout()).isEqualTo(Duration.ofSeconds(6));
            assertThat(p.maxSessionTimeout()).isEqualTo(Duration.ofMinutes(30));
            assertThat(p.maxSize()).isEqualTo(Integer.MAX_VALUE);
            assertThat(p.offsetsRetention()).isEqualTo(Duration.ofDays(7));
            assertThat(p.offsetsRetentionCheckInterval()).isEqualTo(Duration.ofMinutes(10));
            assertThat(p.offsetMetadataMaxSize()).isEqualTo(DataSize.ofBytes(4096));
            assertThat(p.storeKeepaliveInterval()).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void shouldBindOverrides() {
        runner.withPropertyValues(
                        "tributary.group.kafka-port=19192",
                        "tributary.group.initial-rebalance-delay=0s",
                        "tributary.group.offsets-retention=1d",
                        "tributary.group.max-size=100",
                        "tributary.group.offset-metadata-max-size=1KB",
                        "tributary.group.store-keepalive-interval=250ms")
                .run(context -> {
                    GroupCoordinatorProperties p = context.getBean(GroupCoordinatorProperties.class);
                    assertThat(p.kafkaPort()).isEqualTo(19192);
                    assertThat(p.initialRebalanceDelay()).isZero();
                    assertThat(p.offsetsRetention()).isEqualTo(Duration.ofDays(1));
                    assertThat(p.maxSize()).isEqualTo(100);
                    assertThat(p.offsetMetadataMaxSize()).isEqualTo(DataSize.ofKilobytes(1));
                    assertThat(p.storeKeepaliveInterval()).isEqualTo(Duration.ofMillis(250));
                });
    }

    @Test
    void shouldRefuseMetadataLargerThanItsColumnAndInvertedSessionBounds() {
        runner.withPropertyValues("tributary.group.offset-metadata-max-size=1MB")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("tributary.group.min-session-timeout=1h")
                .run(context -> assertThat(context).hasFailed());
    }
}
