package io.tributary.group.server.handler;

import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
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

    @Override
    CompletableFuture<ListGroupsResponseData> call(RequestContext context, ListGroupsRequestData data) {
        return coordinator.listGroups(context, data);
    }

    @Override
    AbstractResponse wrap(ListGroupsResponseData data, short version) {
        return new ListGroupsResponse(data);
    }
}
