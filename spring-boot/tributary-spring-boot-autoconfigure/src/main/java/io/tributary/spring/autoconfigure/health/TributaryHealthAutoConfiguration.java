package io.tributary.spring.autoconfigure.health;

import io.tributary.spring.autoconfigure.TributaryProperties;
import io.tributary.spring.autoconfigure.topics.TopicDeclarations;
import io.tributary.spring.autoconfigure.topics.TributaryAdmin;
import io.tributary.spring.autoconfigure.topics.TributaryTopicsAutoConfiguration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The {@code tributary} health contributor, for the readiness group (never liveness; see
 * {@link TributaryHealthEnvironmentPostProcessor}). It watches the declared topics, the topics
 * the application's {@code @KafkaListener} containers subscribe to, and the group coordinator of
 * {@code spring.kafka.consumer.group-id}.
 */
@AutoConfiguration(after = TributaryTopicsAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(TributaryAdmin.class)
@ConditionalOnBooleanProperty(name = "tributary.health.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("tributary")
public final class TributaryHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tributaryHealthIndicator")
    TributaryHealthIndicator tributaryHealthIndicator(
            TributaryAdmin admin,
            TributaryProperties properties,
            ObjectProvider<TopicDeclarations> declarations,
            ObjectProvider<KafkaListenerEndpointRegistry> listeners,
            ObjectProvider<KafkaProperties> kafkaProperties) {
        String groupId = kafkaProperties.stream()
                .map(p -> p.getConsumer().getGroupId())
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        ClusterHealthCheck check = new ClusterHealthCheck(
                admin,
                () -> watchedTopics(declarations, listeners),
                groupId,
                properties.health().timeout());
        return new TributaryHealthIndicator(check, properties.health().interval());
    }

    private static Collection<String> watchedTopics(
            ObjectProvider<TopicDeclarations> declarations, ObjectProvider<KafkaListenerEndpointRegistry> listeners) {
        Set<String> topics = new TreeSet<>();
        declarations.ifAvailable(d -> topics.addAll(d.names()));
        listeners.ifAvailable(registry -> {
            for (MessageListenerContainer container : registry.getAllListenerContainers()) {
                String[] subscribed = container.getContainerProperties().getTopics();
                if (subscribed != null) {
                    topics.addAll(Arrays.asList(subscribed));
                }
            }
        });
        return topics;
    }
}
