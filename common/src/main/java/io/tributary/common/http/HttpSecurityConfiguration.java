package io.tributary.common.http;

import io.tributary.common.security.ScramPasswordVerifier;
import jakarta.servlet.DispatcherType;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The services' HTTP security (see {@link HttpSecurityProperties}). With
 * {@code tributary.http.security.enabled}:
 * <ul>
 * <li>{@code /actuator/health/**}, {@code /actuator/info}, {@code /actuator/prometheus}: open
 * (probes and scrapers carry no credentials);</li>
 * <li>other Actuator endpoints: super users;</li>
 * <li>GET and HEAD of anything else ({@code /api/**}, the OpenAPI document): any authenticated
 * user, as reading cluster state needs Kafka's Describe, which needs a principal;</li>
 * <li>every other request (POST, PUT, PATCH, DELETE): super users.</li>
 * </ul>
 * No login is answered 401 with a {@code WWW-Authenticate: Basic} challenge, a wrong password 401,
 * a known user who is not allowed 403. Stateless: no session, no CSRF token (API clients send
 * credentials on every request and no browser session exists to ride on). Without the flag every
 * request is let through, as before Spring Security was on the class path.
 *
 * <p>Super users rather than ACLs: the ACLs live with the brokers' authorizer, which the services
 * do not share; writes through these APIs are cluster administration, Kafka's Alter on Cluster,
 * which in practice only super users hold.
 *
 * <p>Imported by the services' applications, not an auto-configuration: an application of a user
 * with {@code tributary-common} on its class path (the starter, the embedded test cluster) keeps
 * its own web security.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({SecurityFilterChain.class, HttpSecurity.class, CuratorFramework.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(HttpSecurityProperties.class)
public class HttpSecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSecurityConfiguration.class);

    /** Also keeps Boot from creating its in-memory user with a generated password. */
    @Bean
    AuthenticationProvider scramAuthenticationProvider(CuratorFramework curator, HttpSecurityProperties properties) {
        return new ScramAuthenticationProvider(new ScramPasswordVerifier(curator), properties.superUserNames());
    }

    @Bean
    SecurityFilterChain tributaryHttpSecurity(HttpSecurity http, HttpSecurityProperties properties) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        if (!properties.enabled()) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .build();
        }
        LOG.info("HTTP security on: SCRAM users from ZooKeeper, super users {}", properties.superUsers());
        String superUser = ScramAuthenticationProvider.SUPER_USER;
        return http.httpBasic(basic -> basic.realmName("tributary"))
                .authorizeHttpRequests(requests -> requests
                        // the error page of a refused request keeps its 401/403 status
                        .dispatcherTypeMatchers(DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(EndpointRequest.to("health", "info", "prometheus"))
                        .permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint())
                        .hasAuthority(superUser)
                        .requestMatchers(HttpMethod.GET)
                        .authenticated()
                        .requestMatchers(HttpMethod.HEAD)
                        .authenticated()
                        .anyRequest()
                        .hasAuthority(superUser))
                .build();
    }
}
