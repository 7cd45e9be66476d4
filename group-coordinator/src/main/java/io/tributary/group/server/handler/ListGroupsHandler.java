package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.springframework.stereotype.Component;

/** ListGroups: the groups this instance knows (in memory and in its database). */
@Component
class ListGroupsHandler extends GroupApiHandler<ListGroupsRequest, ListGroupsRequestData, ListGroupsResponseData> {

    ListGroupsHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.LIST_GROUPS, ListGroupsRequest.class);
    }

    /** As Kafka: DESCRIBE on the cluster lists every group, else only the groups with DESCRIBE. */
    @Override
    CompletableFuture<ListGroupsResponseData> callAuthorized(
            DecodedRequest request, RequestContext context, ListGroupsRequestData data) {
        boolean allGroups = authorizer().clusterAuthorized(request, AclOperation.DESCRIBE);
        return call(context, data)
                .thenApply(response -> allGroups
                        ? response
                        : response.setGroups(response.groups().stream()
                                .filter(group ->
                                        authorizer().groupAuthorized(request, AclOperation.DESCRIBE, group.groupId()))
                                .toList()));
    }

    @Override
    CompletableFuture<ListGroupsResponseData> call(RequestContext context, ListGroupsRequestData data) {
        return coordinator.listGroups(context, data);
    }

    @Override
    AbstractResponse wrap(ListGroupsResponseData data, short version) {
        return new ListGroupsResponse(data);
    }
}
