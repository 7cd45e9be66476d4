package io.tributary.spring.autoconfigure.discovery;

import io.tributary.curator.CuratorSessionWatchdog;
import io.tributary.spring.autoconfigure.TributaryProperties;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the brokers instead of {@code spring.kafka.bootstrap-servers}: with
 * {@code tributary.discovery.zookeeper.connect-string} set, a {@link BrokerDiscovery} reads the
 * brokers' registrations in ZooKeeper; else, with {@code tributary.discovery.service-id} set and a
 * Spring Cloud {@code DiscoveryClient} bean present, it asks that client for the service's
 * instances. Either way a {@link KafkaConnectionDetails} bean hands them to Boot's Kafka
 * auto-configuration, which then backs its own properties-based details off. The producer,
 * consumer and admin factories also get a bootstrap supplier, so a client created later uses
 * the brokers live at that moment rather than those of startup. Security stays the application's:
 * {@code spring.kafka.security.protocol}, {@code spring.kafka.ssl.*} (a bundle too) and
 * {@code spring.kafka.properties.sasl.*} reach every client Boot builds, and so the starter's own
 * admin client, as without discovery.
 */
@AutoConfiguration(
        before = KafkaAutoConfiguration.class,
        // the DiscoveryClient beans of Spring Cloud (simple, composite; the registries' own come before these)
        afterName = {
            "org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration",
            "org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration"
        })
@ConditionalOnClass(KafkaTemplate.class)
@EnableConfigurationProperties(TributaryProperties.class)
public final class TributaryDiscoveryAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({CuratorFramework.class, CuratorCache.class, CuratorSessionWatchdog.class, JsonMapper.class})
    @ConditionalOnProperty("tributary.discovery.zookeeper.connect-string")
    static class ZookeeperDiscoveryConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(BrokerDiscovery.class)
        ZookeeperBrokerDiscovery tributaryBrokerDiscovery(TributaryProperties properties) {
            ZookeeperBrokerDiscovery discovery = new ZookeeperBrokerDiscovery(
                    properties.discovery().zookeeper(), properties.discovery().brokerWait());
            discovery.start();
            return discovery;
        }
    }

    /** With a connect string set as well, the brokers' own registrations win. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DiscoveryClient.class)
    @ConditionalOnProperty("tributary.discovery.service-id")
    @Conditional(NoZookeeperConnectString.class)
    @ConditionalOnBean(DiscoveryClient.class)
    static class DiscoveryClientConfiguration {

        @Bean
        @ConditionalOnMissingBean(BrokerDiscovery.class)
        DiscoveryClientBrokerDiscovery tributaryBrokerDiscovery(
                DiscoveryClient client, TributaryProperties properties) {
            DiscoveryClientBrokerDiscovery discovery = new DiscoveryClientBrokerDiscovery(
                    client, properties.discovery().serviceId());
            discovery.start(properties.discovery().brokerWait());
            return discovery;
        }
    }

    static class NoZookeeperConnectString extends NoneNestedConditions {

        NoZookeeperConnectString() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty("tributary.discovery.zookeeper.connect-string")
        static class ConnectStringSet {}
    }

    // Below: on the outer class, so that they are registered after the nested discovery
    // configurations and their @ConditionalOnBean sees the discovery bean.

    @Bean
    @ConditionalOnBean(BrokerDiscovery.class)
    @ConditionalOnMissingBean(KafkaConnectionDetails.class)
    TributaryKafkaConnectionDetails tributaryKafkaConnectionDetails(
            BrokerDiscovery discovery, ObjectProvider<KafkaProperties> kafka, ObjectProvider<SslBundles> sslBundles) {
        return new TributaryKafkaConnectionDetails(
                discovery, kafka.getIfAvailable(KafkaProperties::new), sslBundles.getIfAvailable());
    }

    @Bean
    @ConditionalOnBean(BrokerDiscovery.class)
    DefaultKafkaProducerFactoryCustomizer tributaryProducerBootstrapCustomizer(BrokerDiscovery discovery) {
        return factory -> factory.setBootstrapServersSupplier(discovery::bootstrapServers);
    }

    @Bean
    @ConditionalOnBean(BrokerDiscovery.class)
    DefaultKafkaConsumerFactoryCustomizer tributaryConsumerBootstrapCustomizer(BrokerDiscovery discovery) {
        return factory -> factory.setBootstrapServersSupplier(discovery::bootstrapServers);
    }

    @Bean
    @ConditionalOnBean(BrokerDiscovery.class)
    static BeanPostProcessor tributaryAdminBootstrapPostProcessor(ObjectProvider<BrokerDiscovery> discovery) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof KafkaAdmin admin) {
                    admin.setBootstrapServersSupplier(
                            () -> discovery.getObject().bootstrapServers());
                }
                return bean;
            }
        };
    }
}
