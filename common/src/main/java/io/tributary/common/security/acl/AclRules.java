package io.tributary.common.security.acl;

import java.util.Collection;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Kafka's ACL semantics over a set of {@link AclBinding}s (as {@code AclAuthorizer} and
 * {@code StandardAuthorizer} apply them), without any state:
 * <ul>
 *   <li>An ACL applies to a resource when its pattern is LITERAL with the same name or the
 *   wildcard {@code *}, or PREFIXED with a prefix of the name; to a principal when it names it or
 *   {@code User:*}; to a host when it names it or {@code *}.</li>
 *   <li>DENY wins: an applicable DENY for the operation (or ALL) refuses, whatever is allowed.</li>
 *   <li>An ALLOW of ALL allows everything; READ, WRITE, DELETE and ALTER also allow DESCRIBE;
 *   ALTER_CONFIGS also allows DESCRIBE_CONFIGS.</li>
 *   <li>A resource no ACL applies to (for anyone) is allowed only with
 *   {@code allow.everyone.if.no.acl.found}.</li>
 * </ul>
 * Thread-safe (stateless).
 */
public final class AclRules {

    private static final Set<AclOperation> IMPLY_DESCRIBE =
            Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);

    private AclRules() {}

    /** Whether {@code principal} at {@code host} may do {@code operation} on the resource. */
    public static boolean authorize(
            Collection<AclBinding> acls,
            String principal,
            String host,
            AclOperation operation,
            ResourceType type,
            String name,
            boolean allowIfNoAcl) {
        boolean anyAcl = false;
        boolean allowed = false;
        for (AclBinding acl : acls) {
            if (!appliesTo(acl.pattern(), type, name)) {
                continue;
            }
            anyAcl = true;
            AccessControlEntry entry = acl.entry();
            if (!principalMatches(entry.principal(), principal) || !hostMatches(entry.host(), host)) {
                continue;
            }
            if (entry.permissionType() == AclPermissionType.DENY
                    && (entry.operation() == operation || entry.operation() == AclOperation.ALL)) {
                return false;
            }
            if (entry.permissionType() == AclPermissionType.ALLOW && implies(entry.operation(), operation)) {
                allowed = true;
            }
        }
        return allowed || (!anyAcl && allowIfNoAcl);
    }

    /** Whether an ACL on {@code pattern} applies to the resource {@code type:name}. */
    public static boolean appliesTo(ResourcePattern pattern, ResourceType type, String name) {
        if (pattern.resourceType() != type) {
            return false;
        }
        if (pattern.patternType() == PatternType.LITERAL) {
            return pattern.name().equals(ResourcePattern.WILDCARD_RESOURCE)
                    || pattern.name().equals(name);
        }
        return pattern.patternType() == PatternType.PREFIXED && name.startsWith(pattern.name());
    }

    /** Whether an ALLOW of {@code granted} allows {@code wanted}. */
    public static boolean implies(AclOperation granted, AclOperation wanted) {
        return granted == AclOperation.ALL
                || granted == wanted
                || (wanted == AclOperation.DESCRIBE && IMPLY_DESCRIBE.contains(granted))
                || (wanted == AclOperation.DESCRIBE_CONFIGS && granted == AclOperation.ALTER_CONFIGS);
    }

    private static boolean principalMatches(String aclPrincipal, String principal) {
        return aclPrincipal.equals(principal) || aclPrincipal.equals("User:*");
    }

    private static boolean hostMatches(String aclHost, String host) {
        return aclHost.equals("*") || aclHost.equals(host);
    }
}
