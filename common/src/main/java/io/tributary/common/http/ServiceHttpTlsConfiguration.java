package io.tributary.common.http;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link ServiceHttpTls} of a service, from {@link HttpClientProperties} and Boot's SSL
 * bundles. Imported by the services' applications, not an auto-configuration: applications of
 * users with {@code tributary-common} on their class path do not call the services.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpClientProperties.class)
public class ServiceHttpTlsConfiguration {

    /**
     * The bundles are looked up only when a bundle is named: test slices such as
     * {@code @DataJpaTest} have no {@link SslBundles} bean, and plain HTTP needs none.
     */
    @Bean
    ServiceHttpTls serviceHttpTls(HttpClientProperties properties, ObjectProvider<SslBundles> bundles) {
        if (properties.sslBundle().isBlank()) {
            return ServiceHttpTls.of(properties, null);
        }
        return ServiceHttpTls.of(properties, bundles.getObject());
    }
}
