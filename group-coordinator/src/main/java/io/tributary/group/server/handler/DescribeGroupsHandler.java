package io.tributary.group.server.handler;

import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.springframework.stereotype.Component;

/** DescribeGroups: state, protocol and members of classic groups. */
@Component
class DescribeGroupsHandler
        extends GroupApiHandler<DescribeGroupsRequest, DescribeGroupsRequestData, DescribeGroupsResponseData> {

    DescribeGroupsHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.DESCRIBE_GROUPS, DescribeGroupsRequest.class);
    }

    @Override
    CompletableFuture<DescribeGroupsResponseData> call(RequestContext context, DescribeGroupsRequestData data) {
        return coordinator.describeGroups(context, data);
    }

    @Override
    AbstractResponse wrap(DescribeGroupsResponseData data, short version) {
        return new DescribeGroupsResponse(data);
    }
}
