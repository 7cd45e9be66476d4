package io.tributary.common.spring;

import io.tributary.curator.CuratorSessionWatchdog;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.zookeeper.ZookeeperAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Watches the service's Curator client with a {@link CuratorSessionWatchdog}, so that a service
 * whose client stops reconnecting after a session expiry gets a new session instead of serving
 * nothing until it is restarted.
 */
@AutoConfiguration(after = ZookeeperAutoConfiguration.class)
@ConditionalOnClass(CuratorFramework.class)
@EnableConfigurationProperties(TributaryZookeeperProperties.class)
public class TributaryZookeeperWatchdogAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnBean(CuratorFramework.class)
    @ConditionalOnMissingBean
    CuratorSessionWatchdog curatorSessionWatchdog(CuratorFramework curator, TributaryZookeeperProperties properties) {
        return new CuratorSessionWatchdog(curator, properties.sessionTimeout());
    }
}
