package io.tributary.broker.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.cleaner.CleanerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** {@code tributary.broker.log-cleaner-*}: Kafka's defaults, overrides, and how they reach the cleaner and topics. */
class LogCleanerPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LogCleanerProperties.class)
    static class Config {}

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void shouldDefaultToKafkasCleanerSettingsExceptASmallerDedupeBuffer() {
        runner.run(context -> {
            LogCleanerProperties p = context.getBean(LogCleanerProperties.class);
            CleanerConfig cleaner = p.cleanerConfig();
            assertThat(cleaner.enable()).isTrue();
            assertThat(cleaner.threads()).isEqualTo(1);
            assertThat(cleaner.backoffMs()).isEqualTo(15_000);
            assertThat(cleaner.ioMaxBytesPerSecond()).isEqualTo(Double.MAX_VALUE);
            assertThat(cleaner.dedupeBufferSize()).isEqualTo(16L * 1024 * 1024);
            LogConfig topics = p.topicDefaults();
            assertThat(topics.minCleanableDirtyRatio()).isEqualTo(0.5);
            assertThat(topics.minCompactionLagMs()).isZero();
            assertThat(topics.maxCompactionLagMs()).isEqualTo(Long.MAX_VALUE);
            assertThat(topics.deleteRetentionMs()).isEqualTo(86_400_000L);
        });
    }

    @Test
    void shouldMakeBrokerSettingsTheDefaultsThatTopicConfigsOverride() {
        runner.withPropertyValues(
                        "tributary.broker.log-cleaner-threads=2",
                        "tributary.broker.log-cleaner-io-max-bytes-per-second=1048576",
                        "tributary.broker.log-cleaner-delete-retention=1h",
                        "tributary.broker.log-cleaner-min-cleanable-ratio=0.2")
                .run(context -> {
                    LogCleanerProperties p = context.getBean(LogCleanerProperties.class);
                    assertThat(p.cleanerConfig().threads()).isEqualTo(2);
                    assertThat(p.cleanerConfig().ioMaxBytesPerSecond()).isEqualTo(1048576.0);
                    LogConfig topic = p.topicDefaults().withOverrides(Map.of("delete.retention.ms", "5000"));
                    assertThat(topic.deleteRetentionMs()).isEqualTo(5000);
                    assertThat(topic.minCleanableDirtyRatio()).isEqualTo(0.2);
                    assertThat(p.topicDefaults().deleteRetentionMs()).isEqualTo(3_600_000L);
                });
        runner.withPropertyValues("tributary.broker.log-cleaner-threads=0")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("tributary.broker.log-cleaner-min-cleanable-ratio=1.5")
                .run(context -> assertThat(context).hasFailed());
    }
}
