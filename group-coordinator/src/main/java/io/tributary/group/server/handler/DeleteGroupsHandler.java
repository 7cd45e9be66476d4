package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.springframework.stereotype.Component;

/** DeleteGroups: Empty groups and their offsets. */
@Component
class DeleteGroupsHandler
        extends GroupApiHandler<DeleteGroupsRequest, DeleteGroupsRequestData, DeleteGroupsResponseData> {

    DeleteGroupsHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.DELETE_GROUPS, DeleteGroupsRequest.class);
    }

    /** As Kafka: DELETE on each group; the others are GROUP_AUTHORIZATION_FAILED, never deleted. */
    @Override
    CompletableFuture<DeleteGroupsResponseData> callAuthorized(
            DecodedRequest request, RequestContext context, DeleteGroupsRequestData data) {
        AuthorizedSplit<String> split = AuthorizedSplit.ofNames(
                data.groupsNames(), group -> authorizer().groupAuthorized(request, AclOperation.DELETE, group));
        CompletableFuture<DeleteGroupsResponseData> deleted = split.authorized().isEmpty()
                ? CompletableFuture.completedFuture(new DeleteGroupsResponseData())
                : call(context, data.duplicate().setGroupsNames(split.authorized()));
        return deleted.thenApply(response -> {
            split.refused()
                    .forEach(group -> response.results()
                            .add(new DeletableGroupResult()
                                    .setGroupId(group)
                                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
            return response;
        });
    }

    @Override
    CompletableFuture<DeleteGroupsResponseData> call(RequestContext context, DeleteGroupsRequestData data) {
        return coordinator.deleteGroups(context, data);
    }

    @Override
    AbstractResponse wrap(DeleteGroupsResponseData data, short version) {
        return new DeleteGroupsResponse(data);
    }
}
