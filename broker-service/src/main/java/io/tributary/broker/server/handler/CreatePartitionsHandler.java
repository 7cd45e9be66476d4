package io.tributary.broker.server.handler;

import io.tributary.broker.admin.MetadataServiceBodies.PartitionIncrease;
import io.tributary.broker.admin.MetadataServiceClient;
import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.ClusterSnapshot;
import io.tributary.broker.cluster.TopicMetadata;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * CreatePartitions, sent by the AdminClient to the broker Metadata names as controller: each
 * topic's increase goes to metadata-service ({@code POST /api/topics/{name}/partitions}).
 * Kafka's request lists the replicas of the new partitions in order; metadata-service takes them
 * by partition number, counted from the topic's current partition count in this broker's
 * metadata (should that be stale, metadata-service refuses the assignment rather than misplace
 * it). Errors: INVALID_PARTITIONS (not an increase), INVALID_REPLICA_ASSIGNMENT,
 * UNKNOWN_TOPIC_OR_PARTITION, and INVALID_REQUEST for a topic named twice.
 */
@Authorization(
        value = {@Acl(operation = AclOperation.ALTER, resource = ResourceType.TOPIC)},
        note = "ALTER on each topic, else TOPIC_AUTHORIZATION_FAILED for it")
@Component
class CreatePartitionsHandler implements ApiHandler {

    private final MetadataServiceClient metadataService;
    private final ClusterMetadataCache cache;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    CreatePartitionsHandler(MetadataServiceClient metadataService, ClusterMetadataCache cache) {
        this.metadataService = metadataService;
        this.cache = cache;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        CreatePartitionsRequestData data =
                request.body(CreatePartitionsRequest.class).data();
        ClusterSnapshot snapshot = cache.snapshot();
        Map<String, Integer> occurrences = new HashMap<>();
        data.topics().forEach(topic -> occurrences.merge(topic.name(), 1, Integer::sum));
        Set<String> answered = new HashSet<>();
        List<CompletableFuture<CreatePartitionsTopicResult>> results = new ArrayList<>();
        for (CreatePartitionsTopic topic : data.topics()) {
            if (!answered.add(topic.name())) {
                continue;
            }
            if (occurrences.get(topic.name()) > 1) {
                results.add(CompletableFuture.completedFuture(result(
                        topic.name(), new ApiError(Errors.INVALID_REQUEST, "Duplicate topic name in the request"))));
            } else if (!authorizer.topicAuthorized(request, AclOperation.ALTER, topic.name())) {
                results.add(CompletableFuture.completedFuture(
                        result(topic.name(), new ApiError(Errors.TOPIC_AUTHORIZATION_FAILED, null))));
            } else {
                results.add(increase(request, snapshot, topic, data));
            }
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    CreatePartitionsResponseData response = new CreatePartitionsResponseData();
                    results.forEach(result -> response.results().add(result.join()));
                    return HandlerResult.respond(new CreatePartitionsResponse(response));
                });
    }

    private CompletableFuture<CreatePartitionsTopicResult> increase(
            DecodedRequest request,
            ClusterSnapshot snapshot,
            CreatePartitionsTopic topic,
            CreatePartitionsRequestData data) {
        Map<Integer, List<Integer>> assignment = null;
        if (topic.assignments() != null && !topic.assignments().isEmpty()) {
            int next = snapshot.topic(topic.name())
                    .map(TopicMetadata::partitionCount)
                    .orElse(0);
            assignment = new LinkedHashMap<>();
            for (CreatePartitionsAssignment partition : topic.assignments()) {
                assignment.put(next++, List.copyOf(partition.brokerIds()));
            }
        }
        return metadataService
                .createPartitions(
                        topic.name(),
                        new PartitionIncrease(topic.count(), assignment, data.validateOnly()),
                        AdminErrors.timeout(data.timeoutMs()))
                .handle((increased, failure) -> result(
                        topic.name(),
                        failure == null ? ApiError.NONE : AdminErrors.of(request, "topic " + topic.name(), failure)));
    }

    private static CreatePartitionsTopicResult result(String name, ApiError error) {
        return new CreatePartitionsTopicResult()
                .setName(name)
                .setErrorCode(error.error().code())
                .setErrorMessage(error.message());
    }
}
