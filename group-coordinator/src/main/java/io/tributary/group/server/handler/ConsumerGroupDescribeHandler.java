package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/** ConsumerGroupDescribe (KIP-848): epochs, members and assignments of consumer groups. */
@Component
class ConsumerGroupDescribeHandler
        extends GroupApiHandler<
                ConsumerGroupDescribeRequest, ConsumerGroupDescribeRequestData, ConsumerGroupDescribeResponseData> {

    ConsumerGroupDescribeHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.CONSUMER_GROUP_DESCRIBE, ConsumerGroupDescribeRequest.class);
    }

    /**
     * As Kafka: DESCRIBE on each group (the others are GROUP_AUTHORIZATION_FAILED without asking the
     * coordinator), and the principal's operations on each described group when asked.
     */
    @Override
    CompletableFuture<ConsumerGroupDescribeResponseData> callAuthorized(
            DecodedRequest request, RequestContext context, ConsumerGroupDescribeRequestData data) {
        AuthorizedSplit<String> split = AuthorizedSplit.ofNames(
                data.groupIds(), group -> authorizer().groupAuthorized(request, AclOperation.DESCRIBE, group));
        CompletableFuture<ConsumerGroupDescribeResponseData> described =
                split.authorized().isEmpty()
                        ? CompletableFuture.completedFuture(new ConsumerGroupDescribeResponseData())
                        : call(context, data.duplicate().setGroupIds(split.authorized()));
        return described.thenApply(response -> {
            List<DescribedGroup> groups = new ArrayList<>(response.groups());
            if (data.includeAuthorizedOperations()) {
                groups.forEach(group -> group.setAuthorizedOperations(
                        authorizer().authorizedOperations(request, ResourceType.GROUP, group.groupId())));
            }
            split.refused()
                    .forEach(group -> groups.add(new DescribedGroup()
                            .setGroupId(group)
                            .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
            return response.setGroups(groups);
        });
    }

    @Override
    CompletableFuture<ConsumerGroupDescribeResponseData> call(
            RequestContext context, ConsumerGroupDescribeRequestData data) {
        return coordinator.consumerGroupDescribe(context, data);
    }

    @Override
    AbstractResponse wrap(ConsumerGroupDescribeResponseData data, short version) {
        return new ConsumerGroupDescribeResponse(data);
    }
}
