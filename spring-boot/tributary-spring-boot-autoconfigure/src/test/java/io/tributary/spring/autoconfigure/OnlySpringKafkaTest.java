package io.tributary.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.spring.autoconfigure.discovery.BrokerDiscovery;
import io.tributary.spring.autoconfigure.discovery.TributaryDiscoveryAutoConfiguration;
import io.tributary.spring.autoconfigure.health.TributaryHealthAutoConfiguration;
import io.tributary.spring.autoconfigure.health.TributaryHealthIndicator;
import io.tributary.spring.autoconfigure.metrics.ConsumerLagMetrics;
import io.tributary.spring.autoconfigure.metrics.TributaryMetricsAutoConfiguration;
import io.tributary.spring.autoconfigure.topics.TopicReconciler;
import io.tributary.spring.autoconfigure.topics.TributaryEndpoint;
import io.tributary.spring.autoconfigure.topics.TributaryTopicsAutoConfiguration;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Every optional part absent at once, and spring-kafka absent: the application starts as before. */
class OnlySpringKafkaTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    KafkaAutoConfiguration.class,
                    TributaryDiscoveryAutoConfiguration.class,
                    TributaryTopicsAutoConfiguration.class,
                    TributaryHealthAutoConfiguration.class,
                    TributaryMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues(
                    "spring.kafka.bootstrap-servers=localhost:1",
                    // would start discovery if Curator were there
                    "tributary.discovery.zookeeper.connect-string=localhost:1",
                    "tributary.discovery.service-id=broker",
                    "management.endpoints.web.exposure.include=tributary");

    @Test
    void shouldStartWithOnlySpringKafkaWhenCuratorJacksonSpringCloudActuatorAndMicrometerAreAbsent() {
        runner.withClassLoader(new FilteredClassLoader(
                        CuratorFramework.class,
                        JsonMapper.class,
                        DiscoveryClient.class,
                        Endpoint.class,
                        HealthIndicator.class,
                        MeterRegistry.class))
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(KafkaTemplate.class)
                        .hasSingleBean(TopicReconciler.class)
                        .doesNotHaveBean(BrokerDiscovery.class)
                        .doesNotHaveBean(TributaryEndpoint.class)
                        .doesNotHaveBean(TributaryHealthIndicator.class)
                        .doesNotHaveBean(ConsumerLagMetrics.class));
    }

    @Test
    void shouldBackOffEntirelyWithoutSpringKafka() {
        runner.withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(TributaryProperties.class)
                        .doesNotHaveBean(BrokerDiscovery.class)
                        .doesNotHaveBean(TopicReconciler.class)
                        .doesNotHaveBean(TributaryHealthIndicator.class)
                        .doesNotHaveBean(ConsumerLagMetrics.class));
    }

    @Test
    void shouldBackOffFromZookeeperDiscoveryWithoutJackson() {
        runner.withClassLoader(new FilteredClassLoader(JsonMapper.class, DiscoveryClient.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BrokerDiscovery.class));
    }
}
