package io.tributary.broker.security;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.AclStore;
import io.tributary.common.security.acl.Authorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;
import org.springframework.stereotype.Component;

/**
 * CreateAcls ({@code Admin.createAcls}, {@code kafka-acls --add}): stores each binding in
 * ZooKeeper ({@link AclStore}), from where every broker applies it. Per binding, as Kafka:
 * {@code INVALID_REQUEST} for a pattern type other than LITERAL/PREFIXED, an ANY or UNKNOWN
 * resource type, operation or permission, a principal that is not {@code Type:name}, or a
 * cluster resource not named {@code kafka-cluster}. The whole request needs ALTER on the cluster
 * ({@code CLUSTER_AUTHORIZATION_FAILED}). The ZooKeeper writes run on the request handler pool.
 */
@Authorization(
        value = {@Acl(operation = AclOperation.ALTER, resource = ResourceType.CLUSTER)},
        note = "ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED")
@Component
class CreateAclsHandler implements ApiHandler {

    private final AclStore store;
    private final Authorizer authorizer;
    private final RequestHandlerPool pool;

    CreateAclsHandler(AclStore store, Authorizer authorizer, RequestHandlerPool pool) {
        this.store = store;
        this.authorizer = authorizer;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_ACLS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        List<AclCreation> creations =
                request.body(CreateAclsRequest.class).data().creations();
        if (!authorizer.clusterAuthorized(request, AclOperation.ALTER)) {
            return HandlerResult.completed(response(creations.stream()
                    .map(c -> new ApiError(Errors.CLUSTER_AUTHORIZATION_FAILED, null))
                    .toList()));
        }
        return pool.submit(() -> HandlerResult.respond(
                response(creations.stream().map(this::create).toList())));
    }

    private ApiError create(AclCreation creation) {
        AclBinding binding;
        try {
            binding = CreateAclsRequest.aclBinding(creation);
            String invalid = invalid(binding);
            if (invalid != null) {
                return new ApiError(Errors.INVALID_REQUEST, invalid);
            }
            store.add(binding);
            return ApiError.NONE;
        } catch (IllegalArgumentException e) {
            return new ApiError(Errors.INVALID_REQUEST, e.getMessage());
        } catch (Exception e) {
            return ApiError.fromThrowable(e);
        }
    }

    /** Why Kafka would refuse the binding, or {@code null}. */
    static String invalid(AclBinding binding) {
        if (binding.isUnknown()) {
            return "Unknown resource type, pattern type, operation or permission";
        }
        if (binding.pattern().patternType() != PatternType.LITERAL
                && binding.pattern().patternType() != PatternType.PREFIXED) {
            return "Invalid pattern type " + binding.pattern().patternType();
        }
        if (binding.pattern().resourceType() == ResourceType.ANY
                || binding.entry().operation() == AclOperation.ANY
                || binding.entry().permissionType() == org.apache.kafka.common.acl.AclPermissionType.ANY) {
            return "ANY is only a filter, not an ACL";
        }
        if (binding.pattern().resourceType() == ResourceType.CLUSTER
                && !binding.pattern().name().equals(Authorizer.CLUSTER)) {
            return "The only valid name for the CLUSTER resource is " + Authorizer.CLUSTER;
        }
        if (binding.pattern().name().isEmpty()) {
            return "Resource name must not be empty";
        }
        SecurityUtils.parseKafkaPrincipal(binding.entry().principal()); // throws IllegalArgumentException
        return null;
    }

    private static CreateAclsResponse response(List<ApiError> errors) {
        List<AclCreationResult> results = new ArrayList<>();
        for (ApiError error : errors) {
            results.add(
                    new AclCreationResult().setErrorCode(error.error().code()).setErrorMessage(error.message()));
        }
        return new CreateAclsResponse(new CreateAclsResponseData().setResults(results));
    }
}
