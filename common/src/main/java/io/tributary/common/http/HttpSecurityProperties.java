package io.tributary.common.http;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Security of a service's HTTP endpoints (its REST API under {@code /api/**} and Actuator).
 *
 * @param enabled    whether requests must authenticate: HTTP Basic with a user's SCRAM
 *                   password as stored in ZooKeeper by the brokers. Off by default (the plain
 *                   local cluster); {@code /actuator/health/**}, {@code /actuator/info} and
 *                   {@code /actuator/prometheus} stay open either way
 * @param superUsers Kafka's {@code super.users}: principals ({@code User:admin}) allowed to change
 *                   state (POST, PUT, PATCH, DELETE) and to read the other Actuator endpoints;
 *                   any other authenticated user may only read {@code /api/**}. Empty by default,
 *                   as in Kafka: with security on, nobody may change anything until one is named
 */
@ConfigurationProperties("tributary.http.security")
public record HttpSecurityProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue List<String> superUsers) {

    private static final String USER_PREFIX = "User:";

    public HttpSecurityProperties {
        superUsers = List.copyOf(superUsers);
        for (String principal : superUsers) {
            if (!principal.startsWith(USER_PREFIX) || principal.length() == USER_PREFIX.length()) {
                throw new IllegalArgumentException(
                        "tributary.http.security.super-users takes Kafka principals such as User:admin, not "
                                + principal);
            }
        }
    }

    /** The super users' names, without the {@code User:} prefix. */
    public Set<String> superUserNames() {
        return superUsers.stream().map(p -> p.substring(USER_PREFIX.length())).collect(Collectors.toSet());
    }
}
