package io.tributary.spring.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.spring.autoconfigure.TributaryProperties;
import io.tributary.spring.autoconfigure.topics.TributaryTopicsAutoConfiguration;
import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerPostProcessor;

class TributaryMetricsAutoConfigurationTest {

    // nothing listens on port 1; the lag refresh only starts with the context's lifecycle
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    KafkaAutoConfiguration.class,
                    TributaryTopicsAutoConfiguration.class,
                    TributaryMetricsAutoConfiguration.class))
            .withPropertyValues("spring.kafka.bootstrap-servers=localhost:1", "tributary.metrics.lag-interval=1h");

    private final ApplicationContextRunner withRegistry =
            runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void shouldRegisterTheMetersWhereARegistryIs() {
        withRegistry.run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(ConsumerLagMetrics.class)
                    .hasSingleBean(ListenerContainerMetrics.class);
            assertThat(context.getBean(DefaultKafkaProducerFactory.class).getPostProcessors())
                    .hasSize(1);
        });
    }

    @Test
    void shouldBindTheLagInterval() {
        withRegistry
                .withPropertyValues("tributary.metrics.lag-interval=2s")
                .run(context -> assertThat(context.getBean(TributaryProperties.class)
                                .metrics()
                                .lagInterval())
                        .isEqualTo(Duration.ofSeconds(2)));
        withRegistry
                .withPropertyValues("tributary.metrics.lag-interval=")
                .run(context -> assertThat(context)
                        .getBean(TributaryProperties.class)
                        .extracting(p -> p.metrics().lagInterval())
                        .isEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void shouldTimeTheAcknowledgementsOfProducersBootCreatesByAcks() {
        withRegistry.withPropertyValues("spring.kafka.producer.acks=1").run(context -> {
            DefaultKafkaProducerFactory factory = context.getBean(DefaultKafkaProducerFactory.class);
            MockProducer<String, String> kafka =
                    new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
            // what the factory does to each producer it creates
            Producer<String, String> producer = (Producer<String, String>)
                    ((ProducerPostProcessor) factory.getPostProcessors().get(0)).apply(kafka);
            producer.send(new ProducerRecord<>("t", "v"));
            assertThat(context.getBean(MeterRegistry.class)
                            .get("tributary.producer.ack.latency")
                            .tag("acks", "1")
                            .timer()
                            .count())
                    .isEqualTo(1);
        });
    }

    @Test
    void shouldBackOffWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(ConsumerLagMetrics.class)
                    .doesNotHaveBean(ListenerContainerMetrics.class);
            assertThat(context.getBean(DefaultKafkaProducerFactory.class).getPostProcessors())
                    .isEmpty();
        });
    }

    @Test
    void shouldBackOffWithoutAMeterRegistry() {
        runner.run(context -> assertThat(context)
                .hasNotFailed()
                .doesNotHaveBean(ConsumerLagMetrics.class)
                .doesNotHaveBean(ListenerContainerMetrics.class));
    }

    @Test
    void shouldBackOffWhenSwitchedOff() {
        withRegistry.withPropertyValues("tributary.metrics.enabled=false").run(context -> {
            assertThat(context)
                    .doesNotHaveBean(ConsumerLagMetrics.class)
                    .doesNotHaveBean(ListenerContainerMetrics.class);
            assertThat(context.getBean(DefaultKafkaProducerFactory.class).getPostProcessors())
                    .isEmpty();
        });
    }

    @Test
    void shouldMeasureLagOnlyWhereTheTopicsSupportIs() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(KafkaAutoConfiguration.class, TributaryMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(ConsumerLagMetrics.class)
                        .hasSingleBean(ListenerContainerMetrics.class));
    }

    @Test
    void shouldUseTheApplicationsOwnLagMetrics() {
        withRegistry
                .withBean(
                        "ownLag",
                        ConsumerLagMetrics.class,
                        () -> new ConsumerLagMetrics(null, java.util.List::of, Duration.ofHours(1)))
                .run(context -> assertThat(context)
                        .hasSingleBean(ConsumerLagMetrics.class)
                        .hasBean("ownLag"));
    }
}
