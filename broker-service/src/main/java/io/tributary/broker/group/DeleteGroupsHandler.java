package io.tributary.broker.group;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** DeleteGroups: each group this broker coordinates is deleted by its owner; others get {@code NOT_COORDINATOR}. */
@Authorization(
        value = {@Acl(operation = AclOperation.DELETE, resource = ResourceType.GROUP)},
        note = "DELETE on each group, else GROUP_AUTHORIZATION_FAILED for it")
@Component
class DeleteGroupsHandler implements ApiHandler {

    private final GroupFanOut<DeletableGroupResult> fanOut;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    DeleteGroupsHandler(GroupRelay relay) {
        this.fanOut = new GroupFanOut<>(relay, DeleteGroupsHandler::result);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        DeleteGroupsRequestData data = request.body(DeleteGroupsRequest.class).data();
        return fanOut.send(
                        request,
                        data.groupsNames(),
                        group -> authorizer.groupAuthorized(request, AclOperation.DELETE, group),
                        groups -> new DeleteGroupsRequest.Builder(new DeleteGroupsRequestData().setGroupsNames(groups)),
                        response -> ((DeleteGroupsResponse) response)
                                .data().results().stream()
                                        .map(r -> result(r.groupId(), Errors.forCode(r.errorCode())))
                                        .toList())
                .thenApply(results -> {
                    DeleteGroupsResponseData response = new DeleteGroupsResponseData();
                    results.forEach(response.results()::add);
                    return HandlerResult.respond(new DeleteGroupsResponse(response));
                });
    }

    private static DeletableGroupResult result(String group, Errors error) {
        return new DeletableGroupResult().setGroupId(group).setErrorCode(error.code());
    }
}
