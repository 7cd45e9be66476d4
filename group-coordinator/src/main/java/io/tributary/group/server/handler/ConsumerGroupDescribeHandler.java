package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.Assignment;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.Member;
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

    /** Kafka's message for a group hidden because of its topics. */
    static final String UNDESCRIBABLE_TOPICS =
            "The group has described topic(s) that the client is not authorized to describe.";

    /**
     * As Kafka: DESCRIBE on each group (the others are GROUP_AUTHORIZATION_FAILED without asking the
     * coordinator), a group whose members are assigned (or about to be) a topic the principal may
     * not DESCRIBE answered TOPIC_AUTHORIZATION_FAILED, and the principal's operations on each
     * described group when asked.
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
            List<DescribedGroup> groups = new ArrayList<>(response.groups().size());
            for (DescribedGroup group : response.groups()) {
                groups.add(hideUndescribableTopics(request, group));
            }
            if (data.includeAuthorizedOperations()) {
                groups.stream()
                        .filter(group -> group.errorCode() == Errors.NONE.code())
                        .forEach(group -> group.setAuthorizedOperations(
                                authorizer().authorizedOperations(request, ResourceType.GROUP, group.groupId())));
            }
            split.refused()
                    .forEach(group -> groups.add(new DescribedGroup()
                            .setGroupId(group)
                            .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
            return response.setGroups(groups);
        });
    }

    /**
     * The group as described, or, when a member's current or target assignment names a topic the
     * principal may not DESCRIBE, Kafka's TOPIC_AUTHORIZATION_FAILED row without members: the
     * assignments would otherwise reveal the topic's name, id and partitions.
     */
    private DescribedGroup hideUndescribableTopics(DecodedRequest request, DescribedGroup group) {
        Set<String> topics = new HashSet<>();
        for (Member member : group.members()) {
            for (Assignment assignment : List.of(member.assignment(), member.targetAssignment())) {
                assignment.topicPartitions().forEach(partitions -> topics.add(partitions.topicName()));
            }
        }
        boolean hidden =
                topics.stream().anyMatch(topic -> !authorizer().topicAuthorized(request, AclOperation.DESCRIBE, topic));
        return hidden
                ? new DescribedGroup()
                        .setGroupId(group.groupId())
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setErrorMessage(UNDESCRIBABLE_TOPICS)
                : group;
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
