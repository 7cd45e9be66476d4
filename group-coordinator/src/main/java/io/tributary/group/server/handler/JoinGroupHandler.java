package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.springframework.stereotype.Component;

/** JoinGroup: long-held until the rebalance completes; v4+ answers a first join with MEMBER_ID_REQUIRED. */
@Component
class JoinGroupHandler extends GroupApiHandler<JoinGroupRequest, JoinGroupRequestData, JoinGroupResponseData> {

    JoinGroupHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.JOIN_GROUP, JoinGroupRequest.class);
    }

    @Override
    void authorize(DecodedRequest request, JoinGroupRequestData data) {
        authorizer().requireGroup(request, AclOperation.READ, data.groupId());
    }

    @Override
    CompletableFuture<JoinGroupResponseData> call(RequestContext context, JoinGroupRequestData data) {
        return coordinator.joinGroup(context, data);
    }

    @Override
    AbstractResponse wrap(JoinGroupResponseData data, short version) {
        return new JoinGroupResponse(data, version);
    }
}
