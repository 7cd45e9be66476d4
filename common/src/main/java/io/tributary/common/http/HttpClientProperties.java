package io.tributary.common.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service calls the other services' HTTP endpoints (a broker calling metadata-service's
 * REST API, a metadata-service forwarding to the controller, a group-coordinator forwarding to a
 * group's owner).
 *
 * @param sslBundle the name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}): when set,
 *                  those calls use {@code https://} and trust that bundle's truststore (usually the
 *                  bundle the service's own {@code server.ssl.bundle} names). Empty by default:
 *                  plain {@code http://}
 */
@ConfigurationProperties("tributary.http.client")
public record HttpClientProperties(@DefaultValue("") String sslBundle) {}
