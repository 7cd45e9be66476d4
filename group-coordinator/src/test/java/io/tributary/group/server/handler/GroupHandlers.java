package io.tributary.group.server.handler;

import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.group.coordinator.GroupCoordinator;

/** Test access to the package-private handlers: a registry of all of them over one coordinator. */
public final class GroupHandlers {

    private GroupHandlers() {
    }

    public static ApiHandlerRegistry registry(GroupCoordinator c) {
        return ApiHandlerRegistry.builder()
                .register(new JoinGroupHandler(c)).register(new SyncGroupHandler(c))
                .register(new HeartbeatHandler(c)).register(new LeaveGroupHandler(c))
                .register(new OffsetCommitHandler(c)).register(new OffsetFetchHandler(c))
                .register(new DescribeGroupsHandler(c)).register(new ListGroupsHandler(c))
                .register(new DeleteGroupsHandler(c)).register(new OffsetDeleteHandler(c))
                .build();
    }
}
