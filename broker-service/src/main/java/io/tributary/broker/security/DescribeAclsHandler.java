package io.tributary.broker.security;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.AclStore;
import io.tributary.common.security.acl.Authorizer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/**
 * DescribeAcls ({@code Admin.describeAcls}, {@code kafka-acls --list}): the bindings matching
 * the filter (kafka-clients' {@code AclBindingFilter} semantics: ANY matches every value, MATCH
 * pattern type every pattern that applies to the name), from the broker's cache of ZooKeeper.
 * Needs DESCRIBE on the cluster ({@code CLUSTER_AUTHORIZATION_FAILED}).
 */
@Authorization(
        value = {@Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.CLUSTER)},
        note = "DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED")
@Component
class DescribeAclsHandler implements ApiHandler {

    private final AclStore store;
    private final Authorizer authorizer;

    DescribeAclsHandler(AclStore store, Authorizer authorizer) {
        this.store = store;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_ACLS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        DescribeAclsResponseData data = new DescribeAclsResponseData();
        if (!authorizer.clusterAuthorized(request, AclOperation.DESCRIBE)) {
            data.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        } else {
            AclBindingFilter filter = request.body(DescribeAclsRequest.class).filter();
            data.setResources(DescribeAclsResponse.aclsResources(
                    store.acls().stream().filter(filter::matches).toList()));
        }
        return HandlerResult.completed(new DescribeAclsResponse(data, request.apiVersion()));
    }
}
