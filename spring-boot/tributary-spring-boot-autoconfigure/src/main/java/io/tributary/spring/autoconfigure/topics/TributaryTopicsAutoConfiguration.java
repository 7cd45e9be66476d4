package io.tributary.spring.autoconfigure.topics;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.spring.autoconfigure.ProducerAcks;
import io.tributary.spring.autoconfigure.TributaryProperties;
import io.tributary.spring.autoconfigure.discovery.TributaryDiscoveryAutoConfiguration;
import java.time.Clock;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Topics declared in properties ({@code tributary.topics.<name>.*}): created at startup when
 * missing, compared with the cluster in a drift report that {@code tributary.topics.drift-policy}
 * acts on, served at {@code /actuator/tributary} and as {@code tributary.topic.drift} gauges.
 * Needs Boot's {@link KafkaAdmin}; an application that declares no topic makes no admin call.
 */
@AutoConfiguration(after = {KafkaAutoConfiguration.class, TributaryDiscoveryAutoConfiguration.class})
@ConditionalOnClass(KafkaAdmin.class)
@ConditionalOnBean(KafkaAdmin.class)
@EnableConfigurationProperties(TributaryProperties.class)
public final class TributaryTopicsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TopicDeclarations tributaryTopicDeclarations(ConfigurableEnvironment environment, TributaryProperties properties) {
        return TopicDeclarations.from(environment, properties.topics().defaults());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    TributaryAdmin tributaryAdmin(KafkaAdmin kafkaAdmin) {
        return new TributaryAdmin(kafkaAdmin);
    }

    @Bean
    @ConditionalOnMissingBean
    TopicReconciler tributaryTopicReconciler(
            TopicDeclarations declarations,
            TributaryAdmin admin,
            TributaryProperties properties,
            ApplicationEventPublisher events,
            ObjectProvider<Clock> clock,
            ObjectProvider<ProducerFactory<?, ?>> producers) {
        return new TopicReconciler(
                declarations,
                admin,
                properties.topics(),
                events,
                clock.getIfAvailable(Clock::systemUTC),
                () -> producerAcks(producers));
    }

    /** The {@code acks} of the application's producers; {@code null} when it has no producer factory. */
    private static String producerAcks(ObjectProvider<ProducerFactory<?, ?>> producers) {
        ProducerFactory<?, ?> factory = producers.getIfUnique();
        return factory == null
                ? null
                : ProducerAcks.of(factory.getConfigurationProperties().get(ProducerConfig.ACKS_CONFIG));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    @ConditionalOnAvailableEndpoint(TributaryEndpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        TributaryEndpoint tributaryEndpoint(TopicReconciler reconciler) {
            return new TributaryEndpoint(reconciler);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        TopicDriftMetrics tributaryTopicDriftMetrics(TopicDeclarations declarations, TopicReconciler reconciler) {
            return new TopicDriftMetrics(declarations, reconciler);
        }
    }
}
