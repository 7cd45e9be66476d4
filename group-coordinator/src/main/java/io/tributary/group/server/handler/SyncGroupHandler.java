package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.springframework.stereotype.Component;

/** SyncGroup: the leader's assignment out to every member; followers wait for it. */
@Component
class SyncGroupHandler extends GroupApiHandler<SyncGroupRequest, SyncGroupRequestData, SyncGroupResponseData> {

    SyncGroupHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.SYNC_GROUP, SyncGroupRequest.class);
    }

    @Override
    void authorize(DecodedRequest request, SyncGroupRequestData data) {
        authorizer().requireGroup(request, AclOperation.READ, data.groupId());
    }

    @Override
    CompletableFuture<SyncGroupResponseData> call(RequestContext context, SyncGroupRequestData data) {
        return coordinator.syncGroup(context, data);
    }

    @Override
    AbstractResponse wrap(SyncGroupResponseData data, short version) {
        return new SyncGroupResponse(data);
    }
}
