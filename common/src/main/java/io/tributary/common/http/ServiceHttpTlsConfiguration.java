package io.tributary.common.http;

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

    @Bean
    ServiceHttpTls serviceHttpTls(HttpClientProperties properties, SslBundles bundles) {
        return ServiceHttpTls.of(properties, bundles);
    }
}
