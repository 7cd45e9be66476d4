package io.tributary.broker.server.handler;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.ClusterSnapshot;
import io.tributary.broker.cluster.TopicMetadata;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.ErrorMapper;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * DeleteRecords on the leader: moves each partition's log start offset up to the requested
 * offset ({@code -1}: the high watermark) and deletes the segments wholly below it; the answer is
 * the new log start offset (the low watermark). An offset above the high watermark is
 * OFFSET_OUT_OF_RANGE, a replica that is not the leader answers NOT_LEADER_OR_FOLLOWER, an
 * unknown partition UNKNOWN_TOPIC_OR_PARTITION.
 *
 * <p>Unlike Kafka, the answer does not wait for the followers' log start offsets: until follower
 * fetching carries the leader's log start offset, a follower keeps its older records (they are
 * never served to consumers, who read from the leader).
 */
@Authorization(
        value = {@Acl(operation = AclOperation.DELETE, resource = ResourceType.TOPIC)},
        note = "DELETE on each topic, else TOPIC_AUTHORIZATION_FAILED per partition")
@Component
class DeleteRecordsHandler implements ApiHandler {

    private static final ErrorMapper ERRORS = new ErrorMapper();

    private final ClusterMetadataCache cache;
    private final ReplicaManager replicaManager;
    private final RequestHandlerPool pool;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    DeleteRecordsHandler(ClusterMetadataCache cache, ReplicaManager replicaManager, RequestHandlerPool pool) {
        this.cache = cache;
        this.replicaManager = replicaManager;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        // moving the log start takes the log's lock (held by appends) and deletes segment files
        return pool.submit(() -> deleteAll(request));
    }

    private HandlerResult deleteAll(DecodedRequest request) {
        ClusterSnapshot snapshot = cache.snapshot();
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsTopic topic :
                request.body(DeleteRecordsRequest.class).data().topics()) {
            DeleteRecordsTopicResult result = new DeleteRecordsTopicResult().setName(topic.name());
            Optional<TopicMetadata> metadata = snapshot.topic(topic.name());
            boolean allowed = authorizer.topicAuthorized(request, AclOperation.DELETE, topic.name());
            for (DeleteRecordsPartition partition : topic.partitions()) {
                result.partitions()
                        .add(
                                allowed
                                        ? delete(metadata, topic.name(), partition)
                                        : new DeleteRecordsPartitionResult()
                                                .setPartitionIndex(partition.partitionIndex())
                                                .setLowWatermark(DeleteRecordsResponse.INVALID_LOW_WATERMARK)
                                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
            response.topics().add(result);
        }
        return HandlerResult.respond(new DeleteRecordsResponse(response));
    }

    private DeleteRecordsPartitionResult delete(
            Optional<TopicMetadata> topic, String name, DeleteRecordsPartition request) {
        DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult()
                .setPartitionIndex(request.partitionIndex())
                .setLowWatermark(DeleteRecordsResponse.INVALID_LOW_WATERMARK);
        try {
            boolean exists = topic.isPresent()
                    && request.partitionIndex() >= 0
                    && request.partitionIndex() < topic.get().partitionCount();
            Partition partition = replicaManager.partition(new TopicPartition(name, request.partitionIndex()), exists);
            long lowWatermark = partition.deleteRecordsBefore(request.offset());
            result.setErrorCode(Errors.NONE.code()).setLowWatermark(lowWatermark);
        } catch (RuntimeException e) {
            result.setErrorCode(ERRORS.partitionError(
                            "DeleteRecords of " + name + "-" + request.partitionIndex() + " before " + request.offset(),
                            e)
                    .code());
        }
        return result;
    }
}
