package io.tributary.broker.server.handler;

import io.tributary.broker.admin.AutoTopicCreator;
import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.ClusterSnapshot;
import io.tributary.broker.cluster.TopicMetadata;
import io.tributary.broker.server.BrokerIdentity;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.PartitionState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Metadata: the live brokers from ZooKeeper, the cluster id, a live broker as "controller" (it
 * forwards admin requests to metadata-service), and per topic its id and, per partition, the
 * leader, leader epoch, replicas, ISR and offline replicas. Answers from one snapshot.
 */
@Authorization(
        value = {@Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.TOPIC)},
        note = "Topics without DESCRIBE are left out of an all-topics answer and TOPIC_AUTHORIZATION_FAILED when named;"
                + " topic and cluster authorizedOperations filled when asked")
@Component
class MetadataHandler implements ApiHandler {

    private final ClusterMetadataCache cache;
    private final BrokerIdentity identity;
    private final AutoTopicCreator autoTopicCreator;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    MetadataHandler(ClusterMetadataCache cache, BrokerIdentity identity, AutoTopicCreator autoTopicCreator) {
        this.cache = cache;
        this.identity = identity;
        this.autoTopicCreator = autoTopicCreator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        MetadataRequestData data = request.body(MetadataRequest.class).data();
        ClusterSnapshot snapshot = cache.snapshot();
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(identity.clusterId())
                .setControllerId(snapshot.controllerBrokerId());
        for (BrokerRegistration broker : snapshot.liveBrokers()) {
            response.brokers()
                    .add(new MetadataResponseBroker()
                            .setNodeId(broker.id())
                            .setHost(broker.host())
                            .setPort(broker.kafkaPort())
                            .setRack(broker.rack()));
        }
        if (data.topics() == null) {
            snapshot.topics().values().stream()
                    .filter(topic -> authorizer.topicAuthorized(request, AclOperation.DESCRIBE, topic.name()))
                    .sorted(java.util.Comparator.comparing(TopicMetadata::name))
                    .forEach(topic -> response.topics().add(describe(snapshot, topic)));
        } else {
            for (MetadataRequestData.MetadataRequestTopic requested : data.topics()) {
                // checked before describing, so that an unauthorized name is never auto-created
                boolean deniedByName = requested.name() != null
                        && !authorizer.topicAuthorized(request, AclOperation.DESCRIBE, requested.name());
                MetadataResponseTopic answer = deniedByName
                        ? new MetadataResponseTopic().setName(requested.name())
                        : describeRequested(snapshot, requested, data.allowAutoTopicCreation());
                if (deniedByName
                        || (answer.name() != null
                                && !authorizer.topicAuthorized(request, AclOperation.DESCRIBE, answer.name()))) {
                    // as Kafka: the topic's existence is not revealed
                    answer = new MetadataResponseTopic()
                            .setName(answer.name())
                            .setTopicId(requested.topicId())
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                }
                response.topics().add(answer);
            }
        }
        fillAuthorizedOperations(request, data, response);
        return HandlerResult.completed(new MetadataResponse(response, request.apiVersion()));
    }

    /** What the client asked to know of its own rights (v8+), as Kafka: not for the refused topics. */
    private void fillAuthorizedOperations(
            DecodedRequest request, MetadataRequestData data, MetadataResponseData response) {
        if (data.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(
                    authorizer.authorizedOperations(request, ResourceType.CLUSTER, Authorizer.CLUSTER));
        }
        if (data.includeTopicAuthorizedOperations()) {
            for (MetadataResponseTopic topic : response.topics()) {
                if (topic.name() != null && topic.errorCode() != Errors.TOPIC_AUTHORIZATION_FAILED.code()) {
                    topic.setTopicAuthorizedOperations(
                            authorizer.authorizedOperations(request, ResourceType.TOPIC, topic.name()));
                }
            }
        }
    }

    private MetadataResponseTopic describeRequested(
            ClusterSnapshot snapshot,
            MetadataRequestData.MetadataRequestTopic requested,
            boolean allowAutoTopicCreation) {
        String name = requested.name();
        Uuid id = requested.topicId();
        // a client that knows only the id (a regex-subscribed KIP-848 consumer) sends an empty name
        boolean byId = name == null || (name.isEmpty() && id != null && !Uuid.ZERO_UUID.equals(id));
        if (byId) {
            return TopicIds.resolve(snapshot, null, id)
                    .map(topic -> describe(snapshot, topic))
                    .orElseGet(() -> error(null, id, Errors.UNKNOWN_TOPIC_ID));
        }
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            return error(name, Uuid.ZERO_UUID, Errors.INVALID_TOPIC_EXCEPTION);
        }
        // auto.create.topics.enable: the creation starts in the background; the client retries
        return snapshot.topic(name)
                .map(topic -> describe(snapshot, topic))
                .orElseGet(() -> error(
                        name,
                        Uuid.ZERO_UUID,
                        autoTopicCreator.maybeCreate(name, allowAutoTopicCreation)
                                ? Errors.LEADER_NOT_AVAILABLE
                                : Errors.UNKNOWN_TOPIC_OR_PARTITION));
    }

    private static MetadataResponseTopic error(String name, Uuid id, Errors error) {
        return new MetadataResponseTopic()
                .setName(name)
                .setTopicId(id == null ? Uuid.ZERO_UUID : id)
                .setErrorCode(error.code());
    }

    static MetadataResponseTopic describe(ClusterSnapshot snapshot, TopicMetadata topic) {
        MetadataResponseTopic described = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(TopicIds.toKafka(topic.topicId()))
                .setIsInternal(Topic.isInternal(topic.name()));
        for (int p = 0; p < topic.partitionCount(); p++) {
            List<Integer> replicas = topic.record().replicas(p);
            PartitionState state = topic.state(p).orElse(null);
            int leader = state == null ? PartitionState.NO_LEADER : state.leader();
            boolean available = leader != PartitionState.NO_LEADER && snapshot.isLive(leader);
            List<Integer> offline = new ArrayList<>();
            for (int replica : replicas) {
                int partition = p;
                // a dead broker, or a live one whose log directory holding this replica is offline
                if (!snapshot.broker(replica)
                        .map(b -> !b.isReplicaOffline(topic.name(), partition))
                        .orElse(false)) {
                    offline.add(replica);
                }
            }
            described
                    .partitions()
                    .add(new MetadataResponsePartition()
                            .setPartitionIndex(p)
                            .setErrorCode(available ? Errors.NONE.code() : Errors.LEADER_NOT_AVAILABLE.code())
                            .setLeaderId(available ? leader : PartitionState.NO_LEADER)
                            .setLeaderEpoch(state == null ? -1 : state.leaderEpoch())
                            .setReplicaNodes(replicas)
                            .setIsrNodes(state == null ? List.of() : state.isr())
                            .setOfflineReplicas(offline));
        }
        return described;
    }
}
