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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * OffsetsForLeaderEpoch: for each partition, the largest leader epoch at or below the requested
 * one and the offset where it ends in this broker's log. Consumers send it to validate their
 * position after a leader change (replica id -1, v3+), followers to find where to truncate
 * (their broker id); both are answered by the leader only (NOT_LEADER_OR_FOLLOWER elsewhere),
 * except the debugging replica id (-2), which any replica answers, as in Kafka. The
 * {@code currentLeaderEpoch} the client sends is checked first (FENCED_LEADER_EPOCH when older
 * than ours, UNKNOWN_LEADER_EPOCH when newer).
 *
 * <p>Kafka's leader records its own epoch in the epoch cache the moment it becomes leader, so a
 * question about the current epoch is always answered with the log end. Our partitions record an
 * epoch only with its first batch; {@link Partition#endOffsetForEpoch} therefore treats the current epoch as if
 * it started at the log end when the cache does not know it yet (no batch has been written in
 * it), which yields exactly Kafka's answers.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.TOPIC),
            @Acl(operation = AclOperation.CLUSTER_ACTION, resource = ResourceType.CLUSTER)
        },
        note =
                "CLUSTER_ACTION on the cluster (brokers) covers every topic; else DESCRIBE on each topic, or TOPIC_AUTHORIZATION_FAILED per partition")
@Component
class OffsetsForLeaderEpochHandler implements ApiHandler {

    private static final ErrorMapper ERRORS = new ErrorMapper();

    private final ClusterMetadataCache cache;
    private final ReplicaManager replicaManager;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    OffsetsForLeaderEpochHandler(ClusterMetadataCache cache, ReplicaManager replicaManager) {
        this.cache = cache;
        this.replicaManager = replicaManager;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        OffsetForLeaderEpochRequestData data =
                request.body(OffsetsForLeaderEpochRequest.class).data();
        // v2 has no replica id: only consumers sent it then
        int replicaId = request.apiVersion() >= 3 ? data.replicaId() : OffsetsForLeaderEpochRequest.CONSUMER_REPLICA_ID;
        boolean leaderOnly = replicaId != OffsetsForLeaderEpochRequest.DEBUGGING_REPLICA_ID;
        ClusterSnapshot snapshot = cache.snapshot();
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        // as Kafka: brokers (CLUSTER_ACTION) may ask about any topic, consumers about those they may describe
        boolean anyTopic = authorizer.clusterAuthorized(request, AclOperation.CLUSTER_ACTION);
        for (OffsetForLeaderTopic topic : data.topics()) {
            OffsetForLeaderTopicResult result = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            Optional<TopicMetadata> metadata = snapshot.topic(topic.topic());
            boolean allowed = anyTopic || authorizer.topicAuthorized(request, AclOperation.DESCRIBE, topic.topic());
            for (OffsetForLeaderPartition partition : topic.partitions()) {
                result.partitions()
                        .add(allowed ? answer(metadata, topic.topic(), partition, leaderOnly) : refused(partition));
            }
            response.topics().add(result);
        }
        return HandlerResult.completed(new OffsetsForLeaderEpochResponse(response));
    }

    private static EpochEndOffset refused(OffsetForLeaderPartition request) {
        return new EpochEndOffset()
                .setPartition(request.partition())
                .setLeaderEpoch(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH)
                .setEndOffset(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET)
                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    private EpochEndOffset answer(
            Optional<TopicMetadata> topic, String name, OffsetForLeaderPartition request, boolean leaderOnly) {
        EpochEndOffset answer = new EpochEndOffset()
                .setPartition(request.partition())
                .setLeaderEpoch(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH)
                .setEndOffset(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET);
        try {
            boolean exists = topic.isPresent()
                    && request.partition() >= 0
                    && request.partition() < topic.get().partitionCount();
            Partition partition = replicaManager.partition(new TopicPartition(name, request.partition()), exists);
            partition.checkLeaderEpoch(Optional.of(request.currentLeaderEpoch()));
            if (leaderOnly && !partition.isLeader()) {
                throw new NotLeaderOrFollowerException(
                        "Broker " + replicaManager.brokerId() + " is not the leader of " + partition.topicPartition());
            }
            io.tributary.storage.log.epoch.EpochEndOffset found = partition.endOffsetForEpoch(request.leaderEpoch());
            answer.setErrorCode(Errors.NONE.code())
                    .setLeaderEpoch(found.epoch())
                    .setEndOffset(found.endOffset());
        } catch (RuntimeException e) {
            answer.setErrorCode(ERRORS.partitionError("OffsetsForLeaderEpoch of " + name + "-" + request.partition(), e)
                    .code());
        }
        return answer;
    }
}
