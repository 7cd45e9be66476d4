package io.tributary.broker.authz;

import io.tributary.common.protocol.DecodedRequest;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * The broker's authorizer: whether a request's principal may do an operation on a resource, by
 * the ACLs of the {@link AclStore} and {@link AclRules}. Off (the default), everything is
 * allowed, as without an authorizer in Kafka. On, {@code super.users} may do everything and the
 * rest need ACLs ({@code allow.everyone.if.no.acl.found}, false by default, allows resources
 * without any ACL).
 *
 * <p>Handlers call it at their top: {@code require*} throw the exception whose Kafka error the
 * handler's error path answers ({@code TOPIC_AUTHORIZATION_FAILED},
 * {@code GROUP_AUTHORIZATION_FAILED}, {@code TRANSACTIONAL_ID_AUTHORIZATION_FAILED},
 * {@code CLUSTER_AUTHORIZATION_FAILED}). What each handler checks is declared on it with
 * {@link Authorization}.
 *
 * <p>Thread-safe: reads the store's latest immutable ACL list.
 */
public final class Authorizer {

    /** The cluster resource's one name, as Kafka's. */
    public static final String CLUSTER = "kafka-cluster";

    private static final Authorizer ALLOW_ALL = new Authorizer(false, Set.of(), true, List::of);

    private final boolean enabled;
    private final Set<String> superUsers;
    private final boolean allowIfNoAcl;
    private final Supplier<List<AclBinding>> acls;

    /**
     * @param enabled      whether ACLs are enforced
     * @param superUsers   {@code super.users}: principals such as {@code User:admin}
     * @param allowIfNoAcl {@code allow.everyone.if.no.acl.found}
     * @param acls         the current ACLs
     */
    public Authorizer(boolean enabled, Set<String> superUsers, boolean allowIfNoAcl, Supplier<List<AclBinding>> acls) {
        this.enabled = enabled;
        this.superUsers = Set.copyOf(superUsers);
        this.allowIfNoAcl = allowIfNoAcl;
        this.acls = acls;
    }

    /** No authorizer: everything is allowed (handlers built without one, e.g. in unit tests). */
    public static Authorizer allowAll() {
        return ALLOW_ALL;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether the request's principal may do {@code operation} on {@code type:name}. */
    public boolean authorized(DecodedRequest request, AclOperation operation, ResourceType type, String name) {
        if (!enabled) {
            return true;
        }
        KafkaPrincipal principal = request.principal();
        if (superUsers.contains(principal.toString())) {
            return true;
        }
        String host = request.remoteAddress().getAddress() == null
                ? request.remoteAddress().getHostString()
                : request.remoteAddress().getAddress().getHostAddress();
        return AclRules.authorize(acls.get(), principal.toString(), host, operation, type, name, allowIfNoAcl);
    }

    public boolean topicAuthorized(DecodedRequest request, AclOperation operation, String topic) {
        return authorized(request, operation, ResourceType.TOPIC, topic);
    }

    public boolean clusterAuthorized(DecodedRequest request, AclOperation operation) {
        return authorized(request, operation, ResourceType.CLUSTER, CLUSTER);
    }

    public boolean groupAuthorized(DecodedRequest request, AclOperation operation, String group) {
        return authorized(request, operation, ResourceType.GROUP, group);
    }

    public boolean transactionalIdAuthorized(DecodedRequest request, AclOperation operation, String transactionalId) {
        return authorized(request, operation, ResourceType.TRANSACTIONAL_ID, transactionalId);
    }

    /**
     * Whether the principal holds an applicable ALLOW of {@code operation} (or ALL) on some topic,
     * by any pattern: Kafka's rule that WRITE on any topic lets a producer be idempotent.
     */
    public boolean anyTopicGranted(DecodedRequest request, AclOperation operation) {
        if (!enabled || superUsers.contains(request.principal().toString())) {
            return true;
        }
        String principal = request.principal().toString();
        return acls.get().stream()
                .anyMatch(acl -> acl.pattern().resourceType() == ResourceType.TOPIC
                        && acl.entry().permissionType() == org.apache.kafka.common.acl.AclPermissionType.ALLOW
                        && AclRules.implies(acl.entry().operation(), operation)
                        && (acl.entry().principal().equals(principal)
                                || acl.entry().principal().equals("User:*")));
    }

    /**
     * The error for a config resource the principal may not {@code operation} (DESCRIBE_CONFIGS
     * or ALTER_CONFIGS): a topic's is {@code TOPIC_AUTHORIZATION_FAILED}, a broker's (checked on
     * the cluster) {@code CLUSTER_AUTHORIZATION_FAILED}; {@code NONE} when allowed or another type.
     */
    public Errors configsError(DecodedRequest request, AclOperation operation, byte resourceType, String name) {
        ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
        if (type == ConfigResource.Type.TOPIC && !topicAuthorized(request, operation, name)) {
            return Errors.TOPIC_AUTHORIZATION_FAILED;
        }
        if (type == ConfigResource.Type.BROKER && !clusterAuthorized(request, operation)) {
            return Errors.CLUSTER_AUTHORIZATION_FAILED;
        }
        return Errors.NONE;
    }

    /** @throws TopicAuthorizationException unless authorized */
    public void requireTopic(DecodedRequest request, AclOperation operation, String topic) {
        if (!topicAuthorized(request, operation, topic)) {
            throw new TopicAuthorizationException(Set.of(topic));
        }
    }

    /** @throws GroupAuthorizationException unless authorized */
    public void requireGroup(DecodedRequest request, AclOperation operation, String group) {
        if (!groupAuthorized(request, operation, group)) {
            throw new GroupAuthorizationException("Not authorized to access group: " + group);
        }
    }

    /** @throws TransactionalIdAuthorizationException unless authorized */
    public void requireTransactionalId(DecodedRequest request, AclOperation operation, String transactionalId) {
        if (!transactionalIdAuthorized(request, operation, transactionalId)) {
            throw new TransactionalIdAuthorizationException(
                    "Not authorized to access transactional id: " + transactionalId);
        }
    }

    /** @throws ClusterAuthorizationException unless authorized */
    public void requireCluster(DecodedRequest request, AclOperation operation) {
        if (!clusterAuthorized(request, operation)) {
            throw new ClusterAuthorizationException(
                    "Request " + request.apiKey() + " is not authorized: " + operation + " on the cluster");
        }
    }
}
