package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.springframework.stereotype.Component;

/** Heartbeat: keeps a member's session; REBALANCE_IN_PROGRESS tells it to rejoin. */
@Component
class HeartbeatHandler extends GroupApiHandler<HeartbeatRequest, HeartbeatRequestData, HeartbeatResponseData> {

    HeartbeatHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.HEARTBEAT, HeartbeatRequest.class);
    }

    @Override
    void authorize(DecodedRequest request, HeartbeatRequestData data) {
        authorizer().requireGroup(request, AclOperation.READ, data.groupId());
    }

    @Override
    CompletableFuture<HeartbeatResponseData> call(RequestContext context, HeartbeatRequestData data) {
        return coordinator.heartbeat(context, data);
    }

    @Override
    AbstractResponse wrap(HeartbeatResponseData data, short version) {
        return new HeartbeatResponse(data);
    }
}
