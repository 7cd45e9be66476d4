package io.tributary.group.server.handler;

import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
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

    @Override
    CompletableFuture<DeleteGroupsResponseData> call(RequestContext context, DeleteGroupsRequestData data) {
        return coordinator.deleteGroups(context, data);
    }

    @Override
    AbstractResponse wrap(DeleteGroupsResponseData data, short version) {
        return new DeleteGroupsResponse(data);
    }
}
