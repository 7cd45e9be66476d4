package io.tributary.common.spring;

import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.zookeeper.ZookeeperAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link ZookeeperSessionHealthIndicator} as the {@code zookeeper} health contributor.
 * Spring Cloud's own probing indicator must be switched off with
 * {@code management.health.zookeeper.enabled=false} (each service's application.yml does).
 */
@AutoConfiguration(after = ZookeeperAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
public class TributaryZookeeperHealthAutoConfiguration {

    @Bean(name = "zookeeperSessionHealthIndicator")
    @ConditionalOnBean(CuratorFramework.class)
    @ConditionalOnMissingBean(ZookeeperSessionHealthIndicator.class)
    ZookeeperSessionHealthIndicator zookeeperSessionHealthIndicator(CuratorFramework curator) {
        return new ZookeeperSessionHealthIndicator(curator);
    }
}
