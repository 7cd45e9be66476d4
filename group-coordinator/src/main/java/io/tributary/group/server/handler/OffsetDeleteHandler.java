package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartitionCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.springframework.stereotype.Component;

/** OffsetDelete: offsets of topics no member subscribes to. */
@Component
class OffsetDeleteHandler
        extends GroupApiHandler<OffsetDeleteRequest, OffsetDeleteRequestData, OffsetDeleteResponseData> {

    OffsetDeleteHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.OFFSET_DELETE, OffsetDeleteRequest.class);
    }

    @Override
    void authorize(DecodedRequest request, OffsetDeleteRequestData data) {
        authorizer().requireGroup(request, AclOperation.DELETE, data.groupId());
    }

    /**
     * As Kafka: READ on each topic; the others' partitions are TOPIC_AUTHORIZATION_FAILED. The
     * coordinator is asked even when no topic is left, for the group's own error.
     */
    @Override
    CompletableFuture<OffsetDeleteResponseData> callAuthorized(
            DecodedRequest request, RequestContext context, OffsetDeleteRequestData data) {
        AuthorizedSplit<OffsetDeleteRequestTopic> split = AuthorizedSplit.of(
                data.topics(),
                OffsetDeleteRequestTopic::name,
                topic -> authorizer().topicAuthorized(request, AclOperation.READ, topic));
        if (split.refused().isEmpty()) {
            return call(context, data);
        }
        OffsetDeleteRequestTopicCollection authorized = new OffsetDeleteRequestTopicCollection();
        split.authorized().forEach(topic -> authorized.add(topic.duplicate()));
        return call(
                        context,
                        new OffsetDeleteRequestData().setGroupId(data.groupId()).setTopics(authorized))
                .thenApply(response -> {
                    if (response.errorCode() != Errors.NONE.code()) {
                        return response; // the group's error stands for every topic
                    }
                    for (OffsetDeleteRequestTopic topic : split.refused()) {
                        OffsetDeleteResponsePartitionCollection partitions =
                                new OffsetDeleteResponsePartitionCollection();
                        topic.partitions()
                                .forEach(p -> partitions.add(new OffsetDeleteResponsePartition()
                                        .setPartitionIndex(p.partitionIndex())
                                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                        response.topics()
                                .add(new OffsetDeleteResponseTopic()
                                        .setName(topic.name())
                                        .setPartitions(partitions));
                    }
                    return response;
                });
    }

    @Override
    CompletableFuture<OffsetDeleteResponseData> call(RequestContext context, OffsetDeleteRequestData data) {
        return coordinator.deleteOffsets(context, data);
    }

    @Override
    AbstractResponse wrap(OffsetDeleteResponseData data, short version) {
        return new OffsetDeleteResponse(data);
    }
}
