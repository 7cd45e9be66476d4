package io.tributary.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.replication.ReplicaFetcherConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The bound {@code replica.*} properties reach the fetchers unchanged. */
class ReplicaFetcherSettingsTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(BrokerProperties.class)
    static class Config {}

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Config.class)
            .withPropertyValues("tributary.broker.id=1");

    @Test
    void shouldGiveTheFetchersKafkasDefaults() {
        runner.run(context -> assertThat(
                        BrokerServerConfiguration.replicaFetcherConfig(context.getBean(BrokerProperties.class)))
                .isEqualTo(ReplicaFetcherConfig.DEFAULTS));
    }

    @Test
    void shouldRunTheConfiguredNumberOfFetchersPerSourceBroker() {
        runner.withPropertyValues("tributary.broker.num-replica-fetchers=3")
                .run(context -> assertThat(
                                BrokerServerConfiguration.replicaFetcherConfig(context.getBean(BrokerProperties.class))
                                        .numFetchers())
                        .isEqualTo(3));
    }

    @Test
    void shouldGiveTheFetchersTheConfiguredValues() {
        runner.withPropertyValues(
                        "tributary.broker.replica-fetch-max-bytes=64KB",
                        "tributary.broker.replica-fetch-response-max-bytes=1MB",
                        "tributary.broker.replica-fetch-wait-max=100ms",
                        "tributary.broker.replica-fetch-min-bytes=10B",
                        "tributary.broker.replica-fetch-backoff=50ms",
                        "tributary.broker.replica-socket-timeout=2s")
                .run(context -> assertThat(
                                BrokerServerConfiguration.replicaFetcherConfig(context.getBean(BrokerProperties.class)))
                        .isEqualTo(new ReplicaFetcherConfig(
                                64 * 1024,
                                1024 * 1024,
                                Duration.ofMillis(100),
                                10,
                                Duration.ofMillis(50),
                                Duration.ofSeconds(2))));
    }
}
