package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.springframework.stereotype.Component;

/** LeaveGroup: one member (v0-2) or a batch by member or instance id (v3+). */
@Component
class LeaveGroupHandler extends GroupApiHandler<LeaveGroupRequest, LeaveGroupRequestData, LeaveGroupResponseData> {

    LeaveGroupHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.LEAVE_GROUP, LeaveGroupRequest.class);
    }

    @Override
    void authorize(DecodedRequest request, LeaveGroupRequestData data) {
        authorizer().requireGroup(request, AclOperation.READ, data.groupId());
    }

    @Override
    CompletableFuture<LeaveGroupResponseData> call(RequestContext context, LeaveGroupRequestData data) {
        return coordinator.leaveGroup(context, data);
    }

    @Override
    AbstractResponse wrap(LeaveGroupResponseData data, short version) {
        return new LeaveGroupResponse(data);
    }
}
