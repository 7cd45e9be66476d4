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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/**
 * DeleteAcls ({@code Admin.deleteAcls}, {@code kafka-acls --remove}): per filter, removes every
 * binding it matches from ZooKeeper and answers them; every broker stops applying them within
 * moments. Needs ALTER on the cluster ({@code CLUSTER_AUTHORIZATION_FAILED} for every filter).
 * The ZooKeeper writes run on the request handler pool.
 */
@Authorization(
        value = {@Acl(operation = AclOperation.ALTER, resource = ResourceType.CLUSTER)},
        note = "ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED")
@Component
class DeleteAclsHandler implements ApiHandler {

    private final AclStore store;
    private final Authorizer authorizer;
    private final RequestHandlerPool pool;

    DeleteAclsHandler(AclStore store, Authorizer authorizer, RequestHandlerPool pool) {
        this.store = store;
        this.authorizer = authorizer;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        List<AclBindingFilter> filters = request.body(DeleteAclsRequest.class).filters();
        if (!authorizer.clusterAuthorized(request, AclOperation.ALTER)) {
            List<DeleteAclsFilterResult> refused = filters.stream()
                    .map(f -> new DeleteAclsFilterResult().setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()))
                    .toList();
            return HandlerResult.completed(new DeleteAclsResponse(
                    new DeleteAclsResponseData().setFilterResults(refused), request.apiVersion()));
        }
        return pool.submit(() -> {
            List<DeleteAclsFilterResult> results = new ArrayList<>();
            for (AclBindingFilter filter : filters) {
                results.add(delete(filter));
            }
            return HandlerResult.respond(new DeleteAclsResponse(
                    new DeleteAclsResponseData().setFilterResults(results), request.apiVersion()));
        });
    }

    private DeleteAclsFilterResult delete(AclBindingFilter filter) {
        Set<ResourcePattern> patterns = new LinkedHashSet<>();
        store.acls().stream().filter(filter::matches).forEach(binding -> patterns.add(binding.pattern()));
        DeleteAclsFilterResult result = new DeleteAclsFilterResult();
        try {
            for (ResourcePattern pattern : patterns) {
                for (AclBinding removed : store.remove(pattern, filter::matches)) {
                    result.matchingAcls().add(DeleteAclsResponse.matchingAcl(removed, ApiError.NONE));
                }
            }
        } catch (Exception e) {
            ApiError error = ApiError.fromThrowable(e);
            result.setErrorCode(error.error().code()).setErrorMessage(error.message());
        }
        return result;
    }
}
