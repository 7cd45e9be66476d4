package io.tributary.spring.autoconfigure.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.spring.autoconfigure.TributaryProperties;
import io.tributary.spring.autoconfigure.TributaryProperties.DriftPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

class TributaryTopicsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(KafkaAutoConfiguration.class, TributaryTopicsAutoConfiguration.class))
            // no topic is declared here unless a test does, so nothing talks to a cluster
            .withPropertyValues("spring.kafka.bootstrap-servers=localhost:1");

    @Test
    void shouldBindDeclaredTopicsOverTheDefaults() {
        runner.withPropertyValues(
                        "tributary.topics.defaults.partitions=3",
                        "tributary.topics.defaults.replication-factor=2",
                        "tributary.topics.defaults.configs.retention.ms=1000",
                        "tributary.topics.drift-policy=reconcile-safe",
                        "tributary.topics.create=false",
                        "tributary.topics.orders.partitions=6",
                        "tributary.topics.orders.configs.min.insync.replicas=2",
                        "tributary.topics[audit.events].replication-factor=3",
                        "tributary.topics.plain.configs.retention.ms=5")
                .withUserConfiguration(IdleReconciler.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(TopicReconciler.class)).isInstanceOf(QuietReconciler.class);
                    TributaryProperties properties = context.getBean(TributaryProperties.class);
                    assertThat(properties.topics().driftPolicy()).isEqualTo(DriftPolicy.RECONCILE_SAFE);
                    assertThat(properties.topics().create()).isFalse();
                    assertThat(context.getBean(TopicDeclarations.class).topics())
                            .containsExactly(
                                    new DeclaredTopic("audit.events", 3, (short) 3, Map.of("retention.ms", "1000")),
                                    new DeclaredTopic(
                                            "orders",
                                            6,
                                            (short) 2,
                                            Map.of("retention.ms", "1000", "min.insync.replicas", "2")),
                                    new DeclaredTopic("plain", 3, (short) 2, Map.of("retention.ms", "5")));
                });
    }

    @Test
    void shouldDefaultToOnePartitionOneReplicaAndTheReportPolicy() {
        runner.run(context -> {
            TributaryProperties properties = context.getBean(TributaryProperties.class);
            assertThat(properties.topics().driftPolicy()).isEqualTo(DriftPolicy.REPORT);
            assertThat(properties.topics().create()).isTrue();
            assertThat(properties.topics().defaults().partitions()).isEqualTo(1);
            assertThat(properties.topics().defaults().replicationFactor()).isEqualTo((short) 1);
            assertThat(context.getBean(TopicDeclarations.class).isEmpty()).isTrue();
            assertThat(context.getBean(TopicReconciler.class).lastReport()).isNull();
        });
    }

    @Test
    void shouldRejectADeclarationWithoutPartitions() {
        runner.withPropertyValues("tributary.topics.bad.partitions=0")
                .run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining("tributary.topics.bad"));
    }

    @Test
    void shouldBackOffWithoutSpringKafka() {
        runner.withClassLoader(new FilteredClassLoader(KafkaAdmin.class))
                .run(context -> assertThat(context).doesNotHaveBean(TopicReconciler.class));
    }

    @Test
    void shouldBackOffWithoutAKafkaAdminBean() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TributaryTopicsAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(TopicReconciler.class));
    }

    @Test
    void shouldUseTheApplicationsOwnDeclarations() {
        runner.withUserConfiguration(OwnDeclarations.class)
                .withPropertyValues("tributary.topics.ignored.partitions=1")
                .withUserConfiguration(IdleReconciler.class)
                .run(context -> assertThat(
                                context.getBean(TopicDeclarations.class).names())
                        .containsExactly("mine"));
    }

    @Test
    void shouldExposeTheEndpointAndGaugesOnlyWhereActuatorAndMicrometerAre() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=tributary")
                .run(context -> assertThat(context)
                        .hasSingleBean(TributaryEndpoint.class)
                        .hasSingleBean(TopicDriftMetrics.class));
        runner.run(context -> assertThat(context).doesNotHaveBean(TributaryEndpoint.class));
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class, MeterRegistry.class))
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(TopicReconciler.class)
                        .doesNotHaveBean(TributaryEndpoint.class)
                        .doesNotHaveBean(TopicDriftMetrics.class));
    }

    @Test
    void shouldServeTheEndpointWithoutMicrometerAndTheGaugesWithoutActuator() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=tributary")
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context)
                        .hasSingleBean(TributaryEndpoint.class)
                        .doesNotHaveBean(TopicDriftMetrics.class));
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run(context -> assertThat(context)
                        .doesNotHaveBean(TributaryEndpoint.class)
                        .hasSingleBean(TopicDriftMetrics.class));
    }

    @Test
    void shouldUseTheApplicationsOwnAdminClient() {
        runner.withBean("ownAdmin", TributaryAdmin.class, () -> new TributaryAdmin(new KafkaAdmin(Map.of())))
                .run(context ->
                        assertThat(context).hasSingleBean(TributaryAdmin.class).hasBean("ownAdmin"));
    }

    /** A reconciler that never talks to a cluster, so binding can be tested without one. */
    static class QuietReconciler extends TopicReconciler {
        QuietReconciler(TopicDeclarations declarations) {
            super(declarations, null, null, event -> {}, java.time.Clock.systemUTC(), () -> "all");
        }

        @Override
        public void afterSingletonsInstantiated() {}
    }

    @Configuration(proxyBeanMethods = false)
    static class IdleReconciler {
        @Bean
        QuietReconciler quietReconciler(TopicDeclarations declarations) {
            return new QuietReconciler(declarations);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDeclarations {
        @Bean
        TopicDeclarations ownDeclarations() {
            return new TopicDeclarations(List.of(new DeclaredTopic("mine", 1, (short) 1, Map.of())));
        }
    }
}
