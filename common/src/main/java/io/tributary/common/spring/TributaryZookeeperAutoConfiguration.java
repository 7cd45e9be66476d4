package io.tributary.common.spring;

import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.zookeeper.CuratorFrameworkCustomizer;
import org.springframework.cloud.zookeeper.ZookeeperAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Points Spring Cloud Zookeeper's Curator client at {@code tributary.zookeeper.*}: connect
 * string, the {@code /tributary} chroot as Curator namespace (so discovery lands in
 * {@code /tributary/services/…}), and a short session timeout.
 */
@AutoConfiguration(before = ZookeeperAutoConfiguration.class)
@ConditionalOnClass({CuratorFramework.class, CuratorFrameworkCustomizer.class})
@EnableConfigurationProperties(TributaryZookeeperProperties.class)
public class TributaryZookeeperAutoConfiguration {

    @Bean
    CuratorFrameworkCustomizer tributaryCuratorCustomizer(TributaryZookeeperProperties properties) {
        return builder -> builder.connectString(properties.connect())
                .namespace(properties.namespace())
                .sessionTimeoutMs((int) properties.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) properties.connectionTimeout().toMillis());
    }
}
