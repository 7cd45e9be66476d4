package io.tributary.broker.group;

import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.config.BrokerSecurityProperties;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The broker's link to the group-coordinator service. */
@Configuration(proxyBeanMethods = false)
class GroupRelayConfiguration {

    @Bean(destroyMethod = "close")
    GroupCoordinatorLocator groupCoordinatorLocator(
            ClusterMetadataCache cache,
            BrokerProperties properties,
            DiscoveryClient discovery,
            CuratorFramework curator) {
        return new GroupCoordinatorLocator(cache, properties.id(), discovery, curator);
    }

    @Bean(destroyMethod = "close")
    GroupRelay groupRelay(
            GroupCoordinatorLocator locator, BrokerProperties properties, BrokerSecurityProperties security) {
        return new GroupRelay(
                locator,
                new KafkaProtocolClient(
                        "broker-" + properties.id() + "-group-relay",
                        GroupRelay.RELAY_TIMEOUT,
                        security.groupCoordinatorClientConfigs()));
    }
}
