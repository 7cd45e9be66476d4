package io.tributary.broker.admin;

import io.tributary.broker.config.BrokerProperties;
import java.net.URI;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The broker's way to metadata-service: instances found through Spring Cloud Zookeeper
 * discovery under metadata-service's {@code spring.application.name}
 * ({@code tributary.broker.metadata-service-name}, default {@code metadata-service}).
 */
@Configuration(proxyBeanMethods = false)
class MetadataServiceClientConfiguration {

    @Bean(destroyMethod = "close")
    MetadataServiceClient metadataServiceClient(
            DiscoveryClient discovery,
            @Value("${tributary.broker.metadata-service-name:metadata-service}") String serviceName) {
        return new MetadataServiceClient(() -> {
            List<ServiceInstance> instances = discovery.getInstances(serviceName);
            return instances.stream()
                    .map(ServiceInstance::getUri)
                    .map(MetadataServiceClientConfiguration::base)
                    .toList();
        });
    }

    @Bean
    AutoTopicCreator autoTopicCreator(MetadataServiceClient client, BrokerProperties properties) {
        return new AutoTopicCreator(client, properties.autoCreateTopicsEnable());
    }

    /** {@code http://host:port} with a trailing slash dropped, so that absolute paths resolve against it. */
    private static URI base(URI uri) {
        return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort());
    }
}
