package io.tributary.broker.admin;

import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.config.BrokerSecurityProperties;
import io.tributary.common.http.ServiceHttpTls;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The broker's way to metadata-service: instances found through Spring Cloud Zookeeper
 * discovery under metadata-service's {@code spring.application.name}
 * ({@code tributary.broker.metadata-service-name}, default {@code metadata-service}). With an
 * inter-broker user configured, the broker logs in to metadata-service's REST API as that user
 * (HTTP Basic; it is a super user, which a metadata-service with HTTP security on requires for
 * topic changes). The Kafka client's own rights were already checked by the broker's authorizer.
 * With {@code tributary.http.client.ssl-bundle} set it calls them over {@code https://}, trusting
 * that bundle (discovery registers a port, not a scheme).
 */
@Configuration(proxyBeanMethods = false)
class MetadataServiceClientConfiguration {

    @Bean(destroyMethod = "close")
    MetadataServiceClient metadataServiceClient(
            DiscoveryClient discovery,
            BrokerSecurityProperties security,
            ServiceHttpTls tls,
            @Value("${tributary.broker.metadata-service-name:metadata-service}") String serviceName) {
        return new MetadataServiceClient(
                () -> {
                    List<ServiceInstance> instances = discovery.getInstances(serviceName);
                    return instances.stream()
                            .map(instance -> tls.base(instance.getHost(), instance.getPort()))
                            .toList();
                },
                basicAuthorization(security.sasl()),
                tls);
    }

    /** HTTP Basic as the inter-broker user, when one is configured. */
    static Optional<String> basicAuthorization(BrokerSecurityProperties.Sasl sasl) {
        if (sasl.interBrokerUser().isBlank() || sasl.interBrokerPassword().isEmpty()) {
            return Optional.empty();
        }
        String token = sasl.interBrokerUser() + ":" + sasl.interBrokerPassword();
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
    }

    @Bean
    AutoTopicCreator autoTopicCreator(MetadataServiceClient client, BrokerProperties properties) {
        return new AutoTopicCreator(client, properties.autoCreateTopicsEnable());
    }
}
