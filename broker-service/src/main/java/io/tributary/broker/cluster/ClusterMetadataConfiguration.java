package io.tributary.broker.cluster;

import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The broker's ZooKeeper-fed view of the cluster. */
@Configuration(proxyBeanMethods = false)
class ClusterMetadataConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    ClusterMetadataCache clusterMetadataCache(CuratorFramework curator) {
        return new ClusterMetadataCache(curator);
    }
}
