package io.tributary.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** {@code tributary.broker.*} threads and replica fetching: defaults, overrides, and refusal of impossible values. */
class BrokerPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(BrokerProperties.class)
    static class Config {}

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Config.class)
            .withPropertyValues("tributary.broker.id=1");

    @Test
    void shouldDefaultReplicaFetchSettingsToKafkas() {
        runner.run(context -> {
            BrokerProperties p = context.getBean(BrokerProperties.class);
            assertThat(p.replicaFetchMaxBytes().toBytes()).isEqualTo(1024 * 1024);
            assertThat(p.replicaFetchResponseMaxBytes().toBytes()).isEqualTo(10 * 1024 * 1024);
            assertThat(p.replicaFetchWaitMax()).isEqualTo(Duration.ofMillis(500));
            assertThat(p.replicaFetchMinBytes().toBytes()).isEqualTo(1);
            assertThat(p.replicaFetchBackoff()).isEqualTo(Duration.ofSeconds(1));
            assertThat(p.replicaSocketTimeout()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void shouldDefaultToFourRequestHandlerThreadsAndBindAnOverride() {
        runner.run(context -> assertThat(context.getBean(BrokerProperties.class).requestHandlerThreads())
                .isEqualTo(4));
        runner.withPropertyValues("tributary.broker.request-handler-threads=1")
                .run(context -> assertThat(
                                context.getBean(BrokerProperties.class).requestHandlerThreads())
                        .isEqualTo(1));
        runner.withPropertyValues("tributary.broker.request-handler-threads=0")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void shouldBindReplicaFetchOverrides() {
        runner.withPropertyValues(
                        "tributary.broker.replica-fetch-max-bytes=2MB",
                        "tributary.broker.replica-fetch-response-max-bytes=20MB",
                        "tributary.broker.replica-fetch-wait-max=250ms",
                        "tributary.broker.replica-fetch-min-bytes=1KB",
                        "tributary.broker.replica-fetch-backoff=200ms",
                        "tributary.broker.replica-socket-timeout=10s")
                .run(context -> {
                    BrokerProperties p = context.getBean(BrokerProperties.class);
                    assertThat(p.replicaFetchMaxBytes()).isEqualTo(DataSize.ofMegabytes(2));
                    assertThat(p.replicaFetchResponseMaxBytes()).isEqualTo(DataSize.ofMegabytes(20));
                    assertThat(p.replicaFetchWaitMax()).isEqualTo(Duration.ofMillis(250));
                    assertThat(p.replicaFetchMinBytes()).isEqualTo(DataSize.ofKilobytes(1));
                    assertThat(p.replicaFetchBackoff()).isEqualTo(Duration.ofMillis(200));
                    assertThat(p.replicaSocketTimeout()).isEqualTo(Duration.ofSeconds(10));
                });
    }

    @Test
    void shouldRefuseSizesBeyondAnIntAndATimeoutShorterThanTheFetchWait() {
        runner.withPropertyValues("tributary.broker.replica-fetch-max-bytes=3GB")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("tributary.broker.replica-fetch-max-bytes=0B")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues(
                        "tributary.broker.replica-fetch-wait-max=5s", "tributary.broker.replica-socket-timeout=5s")
                .run(context -> assertThat(context).hasFailed());
    }
}
