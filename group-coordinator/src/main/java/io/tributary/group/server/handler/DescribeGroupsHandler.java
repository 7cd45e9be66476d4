package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/** DescribeGroups: state, protocol and members of classic groups. */
@Component
class DescribeGroupsHandler
        extends GroupApiHandler<DescribeGroupsRequest, DescribeGroupsRequestData, DescribeGroupsResponseData> {

    DescribeGroupsHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.DESCRIBE_GROUPS, DescribeGroupsRequest.class);
    }

    /**
     * As Kafka: DESCRIBE on each group (the others are GROUP_AUTHORIZATION_FAILED without asking the
     * coordinator), and the principal's operations on each described group when asked.
     */
    @Override
    CompletableFuture<DescribeGroupsResponseData> callAuthorized(
            DecodedRequest request, RequestContext context, DescribeGroupsRequestData data) {
        AuthorizedSplit<String> split = AuthorizedSplit.ofNames(
                data.groups(), group -> authorizer().groupAuthorized(request, AclOperation.DESCRIBE, group));
        CompletableFuture<DescribeGroupsResponseData> described =
                split.authorized().isEmpty()
                        ? CompletableFuture.completedFuture(new DescribeGroupsResponseData())
                        : call(context, data.duplicate().setGroups(split.authorized()));
        return described.thenApply(response -> {
            List<DescribedGroup> groups = new ArrayList<>(response.groups());
            for (DescribedGroup group : groups) {
                if (data.includeAuthorizedOperations()) {
                    group.setAuthorizedOperations(
                            authorizer().authorizedOperations(request, ResourceType.GROUP, group.groupId()));
                }
            }
            split.refused()
                    .forEach(group -> groups.add(new DescribedGroup()
                            .setGroupId(group)
                            .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                            .setGroupState("")
                            .setProtocolType("")
                            .setProtocolData("")));
            return response.setGroups(groups);
        });
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
