package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.springframework.stereotype.Component;

/** OffsetCommit up to v9: v10 names topics by id only, which the coordinator cannot resolve
 * (the classic consumer caps at v9 anyway). */
@Component
class OffsetCommitHandler
        extends GroupApiHandler<OffsetCommitRequest, OffsetCommitRequestData, OffsetCommitResponseData> {

    OffsetCommitHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.OFFSET_COMMIT, OffsetCommitRequest.class, 9);
    }

    @Override
    void authorize(DecodedRequest request, OffsetCommitRequestData data) {
        authorizer().requireGroup(request, AclOperation.READ, data.groupId());
    }

    /** As Kafka: READ on each topic; the others' partitions are TOPIC_AUTHORIZATION_FAILED. */
    @Override
    CompletableFuture<OffsetCommitResponseData> callAuthorized(
            DecodedRequest request, RequestContext context, OffsetCommitRequestData data) {
        AuthorizedSplit<OffsetCommitRequestTopic> split = AuthorizedSplit.of(
                data.topics(),
                OffsetCommitRequestTopic::name,
                topic -> authorizer().topicAuthorized(request, AclOperation.READ, topic));
        if (split.refused().isEmpty()) {
            return call(context, data);
        }
        CompletableFuture<OffsetCommitResponseData> authorized =
                split.authorized().isEmpty()
                        ? CompletableFuture.completedFuture(new OffsetCommitResponseData())
                        : call(context, data.duplicate().setTopics(split.authorized()));
        return authorized.thenApply(response -> {
            List<OffsetCommitResponseTopic> topics = new ArrayList<>(response.topics());
            for (OffsetCommitRequestTopic topic : split.refused()) {
                OffsetCommitResponseTopic answer = new OffsetCommitResponseTopic().setName(topic.name());
                topic.partitions()
                        .forEach(p -> answer.partitions()
                                .add(new OffsetCommitResponsePartition()
                                        .setPartitionIndex(p.partitionIndex())
                                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                topics.add(answer);
            }
            return response.setTopics(topics);
        });
    }

    @Override
    CompletableFuture<OffsetCommitResponseData> call(RequestContext context, OffsetCommitRequestData data) {
        return coordinator.commitOffsets(context, data);
    }

    @Override
    AbstractResponse wrap(OffsetCommitResponseData data, short version) {
        return new OffsetCommitResponse(data);
    }
}
