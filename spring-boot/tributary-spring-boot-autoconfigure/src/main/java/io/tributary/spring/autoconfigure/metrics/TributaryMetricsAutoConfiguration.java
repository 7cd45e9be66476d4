package io.tributary.spring.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.spring.autoconfigure.ProducerAcks;
import io.tributary.spring.autoconfigure.TributaryProperties;
import io.tributary.spring.autoconfigure.topics.TributaryAdmin;
import io.tributary.spring.autoconfigure.topics.TributaryTopicsAutoConfiguration;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Client meters besides Boot's own Kafka client metrics: consumer lag of the application's
 * groups ({@link ConsumerLagMetrics}), the acknowledgement latency of every producer Boot's
 * factory creates, by {@code acks} ({@link AckTimingProducer}), and listener consumer starts and
 * stops ({@link ListenerContainerMetrics}). Only where Micrometer and a {@link MeterRegistry} are;
 * off with {@code tributary.metrics.enabled=false}.
 */
@AutoConfiguration(
        after = {KafkaAutoConfiguration.class, TributaryTopicsAutoConfiguration.class},
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@ConditionalOnClass({MeterRegistry.class, KafkaTemplate.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "tributary.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TributaryProperties.class)
public final class TributaryMetricsAutoConfiguration {

    @Bean
    @ConditionalOnBean(TributaryAdmin.class)
    @ConditionalOnMissingBean
    ConsumerLagMetrics tributaryConsumerLagMetrics(
            TributaryAdmin admin,
            TributaryProperties properties,
            ObjectProvider<KafkaProperties> kafkaProperties,
            ObjectProvider<KafkaListenerEndpointRegistry> listeners) {
        return new ConsumerLagMetrics(
                admin,
                () -> groups(kafkaProperties, listeners),
                properties.metrics().lagInterval());
    }

    @Bean
    @ConditionalOnMissingBean
    ListenerContainerMetrics tributaryListenerContainerMetrics(MeterRegistry registry) {
        return new ListenerContainerMetrics(registry);
    }

    @Bean
    DefaultKafkaProducerFactoryCustomizer tributaryProducerAckLatencyCustomizer(
            ObjectProvider<MeterRegistry> registry) {
        return factory -> timeAcknowledgements(factory, registry);
    }

    private static <K, V> void timeAcknowledgements(
            DefaultKafkaProducerFactory<K, V> factory, ObjectProvider<MeterRegistry> registry) {
        String acks = ProducerAcks.of(factory.getConfigurationProperties().get(ProducerConfig.ACKS_CONFIG));
        factory.addPostProcessor(producer -> new AckTimingProducer<>(producer, registry.getObject(), acks));
    }

    /** {@code spring.kafka.consumer.group-id} and the group of every listener container. */
    private static Collection<String> groups(
            ObjectProvider<KafkaProperties> kafkaProperties, ObjectProvider<KafkaListenerEndpointRegistry> listeners) {
        Set<String> groups = new TreeSet<>();
        kafkaProperties.ifAvailable(properties -> {
            if (properties.getConsumer().getGroupId() != null) {
                groups.add(properties.getConsumer().getGroupId());
            }
        });
        listeners.ifAvailable(registry -> {
            for (MessageListenerContainer container : registry.getAllListenerContainers()) {
                if (container.getGroupId() != null) {
                    groups.add(container.getGroupId());
                }
            }
        });
        return groups;
    }
}
