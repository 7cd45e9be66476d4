package io.tributary.broker.server.handler;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.ClusterSnapshot;
import io.tributary.broker.cluster.TopicMetadata;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.ErrorMapper;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * ListOffsets on the leader: earliest (log start), latest (high watermark: what a consumer can
 * read), max timestamp, and the first offset at or after a timestamp (among readable records).
 */
@Authorization(
        value = {@Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.TOPIC)},
        note = "DESCRIBE on each topic, else TOPIC_AUTHORIZATION_FAILED per partition")
@Component
class ListOffsetsHandler implements ApiHandler {

    private static final ErrorMapper ERRORS = new ErrorMapper();

    private final ClusterMetadataCache cache;
    private final ReplicaManager replicaManager;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    ListOffsetsHandler(ClusterMetadataCache cache, ReplicaManager replicaManager) {
        this.cache = cache;
        this.replicaManager = replicaManager;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        ClusterSnapshot snapshot = cache.snapshot();
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        ListOffsetsRequestData data = request.body(ListOffsetsRequest.class).data();
        for (ListOffsetsTopic topic : data.topics()) {
            boolean readCommitted = data.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            response.topics().add(topicResponse);
            Optional<TopicMetadata> metadata = snapshot.topic(topic.name());
            boolean denied = !authorizer.topicAuthorized(request, AclOperation.DESCRIBE, topic.name());
            for (ListOffsetsPartition partition : topic.partitions()) {
                topicResponse
                        .partitions()
                        .add(denied ? denied(partition) : answer(metadata, topic.name(), partition, readCommitted));
            }
        }
        return HandlerResult.completed(new ListOffsetsResponse(response));
    }

    private static ListOffsetsPartitionResponse denied(ListOffsetsPartition partition) {
        return new ListOffsetsPartitionResponse()
                .setPartitionIndex(partition.partitionIndex())
                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                .setOffset(-1)
                .setTimestamp(-1);
    }

    private ListOffsetsPartitionResponse answer(
            Optional<TopicMetadata> topic, String name, ListOffsetsPartition request, boolean readCommitted) {
        ListOffsetsPartitionResponse answer = new ListOffsetsPartitionResponse()
                .setPartitionIndex(request.partitionIndex())
                .setTimestamp(-1)
                .setOffset(-1)
                .setLeaderEpoch(-1);
        try {
            boolean exists = topic.isPresent()
                    && request.partitionIndex() >= 0
                    && request.partitionIndex() < topic.get().partitionCount();
            Partition partition = replicaManager.partition(new TopicPartition(name, request.partitionIndex()), exists);
            partition
                    .offsetForTimestamp(request.timestamp(), readCommitted, Optional.of(request.currentLeaderEpoch()))
                    .ifPresent(found -> answer.setTimestamp(found.timestamp())
                            .setOffset(found.offset())
                            .setLeaderEpoch(found.leaderEpoch().orElse(-1)));
        } catch (RuntimeException e) {
            answer.setErrorCode(ERRORS.partitionError("ListOffsets of " + name + "-" + request.partitionIndex(), e)
                    .code());
        }
        return answer;
    }
}
