package io.tributary.group.server.handler;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.security.acl.Authorizer;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.server.GroupProtocolServer;
import java.util.List;

/**
 * Test access to the package-private handlers: a registry of all of them over one coordinator,
 * as the service's listener serves them (with ApiVersions and Envelope).
 */
public final class GroupHandlers {

    private GroupHandlers() {}

    public static ApiHandlerRegistry registry(GroupCoordinator c) {
        return GroupProtocolServer.registry(List.<ApiHandler>copyOf(handlers(c)));
    }

    /** The same handlers checking {@code authorizer}'s ACLs, as the service wires them. */
    public static ApiHandlerRegistry registry(GroupCoordinator c, Authorizer authorizer) {
        List<GroupApiHandler<?, ?, ?>> handlers = handlers(c);
        handlers.forEach(handler -> handler.authorizer(authorizer));
        return GroupProtocolServer.registry(List.<ApiHandler>copyOf(handlers), authorizer);
    }

    private static List<GroupApiHandler<?, ?, ?>> handlers(GroupCoordinator c) {
        return List.of(
                new JoinGroupHandler(c),
                new SyncGroupHandler(c),
                new HeartbeatHandler(c),
                new LeaveGroupHandler(c),
                new OffsetCommitHandler(c),
                new OffsetFetchHandler(c),
                new DescribeGroupsHandler(c),
                new ListGroupsHandler(c),
                new DeleteGroupsHandler(c),
                new OffsetDeleteHandler(c),
                new ConsumerGroupHeartbeatHandler(c),
                new ConsumerGroupDescribeHandler(c));
    }
}
