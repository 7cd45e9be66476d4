package io.tributary.common.security.acl;

import io.tributary.common.protocol.DecodedRequest;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
import org.apache.kafka.common.utils.Utils;

/**
 * The authorizer of the brokers and the group-coordinator: whether a request's principal may do an operation on a resource, by
 * the ACLs of the {@link AclStore} and {@link AclRules}. Off (the default), everything is
 * allowed, as without an authorizer in Kafka. On, {@code super.users} may do everything and the
 * rest need ACLs ({@code allow.everyone.if.no.acl.found}, false by default, allows resources
 * without any ACL).
 *
 * <p>Handlers call it at their top: {@code require*} throw the exception whose Kafka error the
 * handler's error path answers ({@code TOPIC_AUTHORIZATION_FAILED},
 * {@code GROUP_AUTHORIZATION_FAILED}, {@code TRANSACTIONAL_ID_AUTHORIZATION_FAILED},
 * {@code CLUSTER_AUTHORIZATION_FAILED}). The broker declares what each handler checks with its
 * {@code @Authorization}; a request a broker forwards to the group-coordinator in an Envelope
 * carries the client's principal, so the coordinator checks the same ACLs for the same principal.
 *
 * <p>Thread-safe: reads the store's latest immutable ACL list.
 */
public final class Authorizer {

    /** The cluster resource's one name, as Kafka's. */
    public static final String CLUSTER = "kafka-cluster";

    /**
     * The operations that apply to each resource type, as Kafka's {@code AclEntry.supportedOperations}:
     * what an {@code authorizedOperations} field reports on.
     */
    private static final Map<ResourceType, Set<AclOperation>> SUPPORTED_OPERATIONS = Map.of(
            ResourceType.TOPIC,
            EnumSet.of(
                    AclOperation.READ,
                    AclOperation.WRITE,
                    AclOperation.CREATE,
                    AclOperation.DESCRIBE,
                    AclOperation.DELETE,
                    AclOperation.ALTER,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS),
            ResourceType.GROUP,
            EnumSet.of(
                    AclOperation.READ,
                    AclOperation.DESCRIBE,
                    AclOperation.DELETE,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS),
            ResourceType.CLUSTER,
            EnumSet.of(
                    AclOperation.CREATE,
                    AclOperation.CLUSTER_ACTION,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS,
                    AclOperation.IDEMPOTENT_WRITE,
                    AclOperation.ALTER,
                    AclOperation.DESCRIBE),
            ResourceType.TRANSACTIONAL_ID,
            EnumSet.of(AclOperation.DESCRIBE, AclOperation.WRITE));

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

    /** The authorizer {@code settings} describe, over the ACLs {@code acls} supplies. */
    public static Authorizer of(AuthorizerSettings settings, Supplier<List<AclBinding>> acls) {
        return new Authorizer(
                settings.enabled(), Set.copyOf(settings.superUsers()), settings.allowEveryoneIfNoAclFound(), acls);
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
     * The operations of {@code type:name} the principal may do, as the 32-bit field of operation
     * codes that the {@code authorizedOperations} of Metadata, DescribeCluster, DescribeGroups and
     * ConsumerGroupDescribe answers (Kafka's {@code AuthHelper.authorizedOperations}): the operations
     * that apply to the resource type, each checked as a request for it would be.
     */
    public int authorizedOperations(DecodedRequest request, ResourceType type, String name) {
        Set<Byte> codes = new HashSet<>();
        for (AclOperation operation : SUPPORTED_OPERATIONS.getOrDefault(type, Set.of())) {
            if (authorized(request, operation, type, name)) {
                codes.add(operation.code());
            }
        }
        return Utils.to32BitField(codes);
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
