package io.tributary.common.security.acl;

import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service authorizes requests (Kafka's names), bound under each service's own prefix
 * ({@code tributary.broker.security.authorizer}, {@code tributary.group.security.authorizer}):
 * the brokers and the group-coordinator must agree, as they check the same requests.
 *
 * @param enabled                   Kafka's {@code authorizer.class.name} set: ACLs are enforced
 *                                  on every request (stored in ZooKeeper, managed with
 *                                  CreateAcls/DescribeAcls/DeleteAcls through a broker)
 * @param superUsers                {@code super.users}: principals allowed everything, e.g.
 *                                  {@code User:admin}; include the inter-broker user
 * @param allowEveryoneIfNoAclFound {@code allow.everyone.if.no.acl.found}: allow a resource that
 *                                  has no ACL at all (false: deny by default)
 */
public record AuthorizerSettings(
        @DefaultValue("false") boolean enabled,
        @DefaultValue List<String> superUsers,
        @DefaultValue("false") boolean allowEveryoneIfNoAclFound) {

    public AuthorizerSettings {
        superUsers = superUsers == null ? List.of() : List.copyOf(superUsers);
    }
}
