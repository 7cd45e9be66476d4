package io.tributary.broker.server.handler;

import io.tributary.broker.admin.MetadataServiceBodies.NewTopic;
import io.tributary.broker.admin.MetadataServiceBodies.TopicDescription;
import io.tributary.broker.admin.MetadataServiceClient;
import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.common.config.TopicConfigs;
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
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * CreateTopics, which the AdminClient sends to the broker Metadata names as controller: each
 * topic is forwarded to metadata-service ({@code POST /api/topics}) concurrently and the
 * response waits for all of them. Partition count and replication factor -1 mean
 * metadata-service's defaults; an explicit assignment excludes both. Per-topic errors come from
 * metadata-service's problem details (TOPIC_ALREADY_EXISTS, INVALID_REPLICATION_FACTOR,
 * INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, INVALID_CONFIG, INVALID_REPLICA_ASSIGNMENT,
 * INVALID_REQUEST); a topic named twice in one request is INVALID_REQUEST, as in Kafka.
 *
 * <p>From v5 the answer carries what was created: partition count, replication factor, topic id
 * (v7) and the effective configs (overrides as TOPIC_CONFIG, the rest as DEFAULT_CONFIG).
 * A topic created here is visible in this broker's Metadata once the ZooKeeper watch delivers it,
 * a few milliseconds later, as with Kafka's own metadata propagation.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.CREATE, resource = ResourceType.CLUSTER),
            @Acl(operation = AclOperation.CREATE, resource = ResourceType.TOPIC)
        },
        note = "CREATE on the cluster or on the topic, else TOPIC_AUTHORIZATION_FAILED for that topic")
@Component
class CreateTopicsHandler implements ApiHandler {

    private final MetadataServiceClient metadataService;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    CreateTopicsHandler(MetadataServiceClient metadataService) {
        this.metadataService = metadataService;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        CreateTopicsRequestData data = request.body(CreateTopicsRequest.class).data();
        Map<String, Integer> occurrences = new HashMap<>();
        data.topics().forEach(topic -> occurrences.merge(topic.name(), 1, Integer::sum));
        Set<String> answered = new HashSet<>();
        List<CompletableFuture<CreatableTopicResult>> results = new ArrayList<>();
        for (CreatableTopic topic : data.topics()) {
            if (!answered.add(topic.name())) {
                continue;
            }
            if (occurrences.get(topic.name()) > 1) {
                results.add(CompletableFuture.completedFuture(failed(
                        topic.name(), new ApiError(Errors.INVALID_REQUEST, "Duplicate topic name in the request"))));
            } else if (!authorizer.clusterAuthorized(request, AclOperation.CREATE)
                    && !authorizer.topicAuthorized(request, AclOperation.CREATE, topic.name())) {
                results.add(CompletableFuture.completedFuture(
                        failed(topic.name(), new ApiError(Errors.TOPIC_AUTHORIZATION_FAILED, null))));
            } else {
                results.add(create(request, topic, data));
            }
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    CreateTopicsResponseData response = new CreateTopicsResponseData();
                    results.forEach(result -> response.topics().add(result.join()));
                    return HandlerResult.respond(new CreateTopicsResponse(response));
                });
    }

    private CompletableFuture<CreatableTopicResult> create(
            DecodedRequest request, CreatableTopic topic, CreateTopicsRequestData data) {
        Map<Integer, List<Integer>> assignment = null;
        if (!topic.assignments().isEmpty()) {
            assignment = new LinkedHashMap<>();
            for (CreatableReplicaAssignment partition : topic.assignments()) {
                assignment.put(partition.partitionIndex(), List.copyOf(partition.brokerIds()));
            }
        }
        Map<String, String> configs = new LinkedHashMap<>();
        for (CreatableTopicConfig config : topic.configs()) {
            configs.put(config.name(), config.value());
        }
        NewTopic body = new NewTopic(
                topic.name(),
                topic.numPartitions(),
                (int) topic.replicationFactor(),
                assignment,
                configs,
                data.validateOnly());
        return metadataService
                .createTopic(body, AdminErrors.timeout(data.timeoutMs()))
                .handle((created, failure) -> failure == null
                        ? created(topic.name(), created, request.apiVersion())
                        : failed(topic.name(), AdminErrors.of(request, "topic " + topic.name(), failure)));
    }

    private static CreatableTopicResult created(String name, TopicDescription created, short version) {
        CreatableTopicResult result = new CreatableTopicResult().setName(name).setErrorCode(Errors.NONE.code());
        if (version >= 5) {
            result.setNumPartitions(created.partitionCount())
                    .setReplicationFactor((short) created.replicationFactor())
                    .setConfigs(effectiveConfigs(created.configs()));
        }
        if (version >= 7 && created.topicId() != null) {
            result.setTopicId(TopicIds.toKafka(created.topicId()));
        }
        return result;
    }

    /** Every known topic config: the topic's overrides and the defaults of the rest. */
    static List<CreatableTopicConfigs> effectiveConfigs(Map<String, String> overrides) {
        Map<String, String> set = overrides == null ? Map.of() : overrides;
        List<CreatableTopicConfigs> configs = new ArrayList<>();
        TopicConfigs.entries().forEach((name, entry) -> {
            boolean overridden = set.containsKey(name);
            configs.add(new CreatableTopicConfigs()
                    .setName(name)
                    .setValue(overridden ? set.get(name) : entry.defaultValue())
                    .setReadOnly(false)
                    .setIsSensitive(false)
                    .setConfigSource((overridden ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG).id()));
        });
        return configs;
    }

    private static CreatableTopicResult failed(String name, ApiError error) {
        return new CreatableTopicResult()
                .setName(name)
                .setTopicId(Uuid.ZERO_UUID)
                .setErrorCode(error.error().code())
                .setErrorMessage(error.message());
    }
}
