package io.tributary.broker.server.handler;

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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * DeleteTopics, sent by the AdminClient to the broker Metadata names as controller: each topic
 * is deleted through metadata-service ({@code DELETE /api/topics/{name}}), concurrently. From
 * v6 a topic may be named by id; the id is resolved to a name in this broker's metadata
 * (UNKNOWN_TOPIC_ID when it is not there). Naming both a name and an id, or one topic twice, is
 * INVALID_REQUEST, as in Kafka. The topic vanishes from metadata at once; every broker then
 * deletes its replicas' logs when the ZooKeeper watch tells it.
 */
@Authorization(
        value = {@Acl(operation = AclOperation.DELETE, resource = ResourceType.TOPIC)},
        note = "DELETE on each topic, else TOPIC_AUTHORIZATION_FAILED for it")
@Component
class DeleteTopicsHandler implements ApiHandler {

    private final MetadataServiceClient metadataService;
    private final ClusterMetadataCache cache;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    DeleteTopicsHandler(MetadataServiceClient metadataService, ClusterMetadataCache cache) {
        this.metadataService = metadataService;
        this.cache = cache;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        DeleteTopicsRequest body = request.body(DeleteTopicsRequest.class);
        ClusterSnapshot snapshot = cache.snapshot();
        // topics() presents v0-5's plain names and v6's (name | id) entries alike
        List<DeleteTopicState> topics = body.topics();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (DeleteTopicState topic : topics) {
            String key = keyOf(topic);
            if (!seen.add(key)) {
                duplicates.add(key);
            }
        }
        Set<String> answered = new HashSet<>();
        List<CompletableFuture<DeletableTopicResult>> results = new ArrayList<>();
        for (DeleteTopicState topic : topics) {
            String key = keyOf(topic);
            if (!answered.add(key)) {
                continue;
            }
            results.add(delete(
                    request,
                    snapshot,
                    topic,
                    duplicates.contains(key),
                    AdminErrors.timeout(body.data().timeoutMs())));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    DeleteTopicsResponseData response = new DeleteTopicsResponseData();
                    results.forEach(result -> response.responses().add(result.join()));
                    return HandlerResult.respond(new DeleteTopicsResponse(response));
                });
    }

    private CompletableFuture<DeletableTopicResult> delete(
            DecodedRequest request,
            ClusterSnapshot snapshot,
            DeleteTopicState topic,
            boolean duplicate,
            java.time.Duration timeout) {
        boolean byId = topic.topicId() != null && !Uuid.ZERO_UUID.equals(topic.topicId());
        DeletableTopicResult result =
                new DeletableTopicResult().setName(topic.name()).setTopicId(byId ? topic.topicId() : Uuid.ZERO_UUID);
        if (duplicate) {
            return done(result, new ApiError(Errors.INVALID_REQUEST, "Duplicate topic in the request"));
        }
        if (byId && topic.name() != null) {
            return done(
                    result, new ApiError(Errors.INVALID_REQUEST, "You may not specify both topic name and topic id."));
        }
        String name = topic.name();
        if (byId) {
            Optional<TopicMetadata> known = snapshot.topic(TopicIds.fromKafka(topic.topicId()));
            if (known.isEmpty()) {
                return done(result, new ApiError(Errors.UNKNOWN_TOPIC_ID, "No topic with id " + topic.topicId()));
            }
            name = known.get().name();
            result.setName(name);
        } else if (name != null) {
            snapshot.topic(name).ifPresent(known -> result.setTopicId(TopicIds.toKafka(known.topicId())));
        }
        if (!authorizer.topicAuthorized(request, AclOperation.DELETE, name == null ? "" : name)) {
            return done(result, new ApiError(Errors.TOPIC_AUTHORIZATION_FAILED, null));
        }
        String resolved = name;
        return metadataService
                .deleteTopic(resolved, timeout)
                .handle((ignored, failure) -> failure == null
                        ? result.setErrorCode(Errors.NONE.code())
                        : apply(result, AdminErrors.of(request, "topic " + resolved, failure)));
    }

    private static String keyOf(DeleteTopicState topic) {
        boolean byId = topic.topicId() != null && !Uuid.ZERO_UUID.equals(topic.topicId());
        return byId ? "id:" + topic.topicId() : "name:" + topic.name();
    }

    private static CompletableFuture<DeletableTopicResult> done(DeletableTopicResult result, ApiError error) {
        return CompletableFuture.completedFuture(apply(result, error));
    }

    private static DeletableTopicResult apply(DeletableTopicResult result, ApiError error) {
        return result.setErrorCode(error.error().code()).setErrorMessage(error.message());
    }
}
