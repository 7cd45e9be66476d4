package io.tributary.group.it;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.protocol.ProtocolServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;

/**
 * The least of a broker that a real {@code KafkaConsumer} needs to run in a group before the
 * real brokers forward group requests: Metadata for one empty topic, FindCoordinator naming the
 * group-coordinator's own listener directly (the consumer accepts a coordinator Metadata does
 * not list), ListOffsets at 0 and empty long-polled Fetches. Test code only.
 */
final class FakeBroker implements AutoCloseable {

    static final int NODE_ID = 1;
    static final int COORDINATOR_ID = 100;

    private final String topic;
    private final int partitions;
    private final Uuid topicId = Uuid.randomUuid();
    private final int coordinatorPort;
    private final KafkaProtocolServer server;

    FakeBroker(String topic, int partitions, int coordinatorPort) {
        this.topic = topic;
        this.partitions = partitions;
        this.coordinatorPort = coordinatorPort;
        ApiHandlerRegistry registry = ApiHandlerRegistry.builder()
                .register(handler(ApiKeys.METADATA, 12, 13, this::metadata))
                .register(handler(
                        ApiKeys.FIND_COORDINATOR,
                        ApiKeys.FIND_COORDINATOR.oldestVersion(),
                        ApiKeys.FIND_COORDINATOR.latestVersion(false),
                        this::findCoordinator))
                .register(handler(
                        ApiKeys.LIST_OFFSETS,
                        ApiKeys.LIST_OFFSETS.oldestVersion(),
                        ApiKeys.LIST_OFFSETS.latestVersion(false),
                        this::listOffsets))
                .register(handler(ApiKeys.FETCH, ApiKeys.FETCH.oldestVersion(), 12, this::fetch))
                .build();
        server = new KafkaProtocolServer(ProtocolServerConfig.of("127.0.0.1", 0).withIoThreads(1), registry);
        server.start();
    }

    int port() {
        return server.port();
    }

    interface Body {
        CompletableFuture<HandlerResult> handle(DecodedRequest request);
    }

    static ApiHandler handler(ApiKeys key, int min, int max, Body body) {
        return new ApiHandler() {
            @Override
            public ApiKeys apiKey() {
                return key;
            }

            @Override
            public short minVersion() {
                return (short) min;
            }

            @Override
            public short maxVersion() {
                return (short) max;
            }

            @Override
            public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
                return body.handle(request);
            }
        };
    }

    private CompletableFuture<HandlerResult> metadata(DecodedRequest request) {
        MetadataRequestData data = request.body(MetadataRequest.class).data();
        MetadataResponseData response =
                new MetadataResponseData().setClusterId("fake-cluster").setControllerId(NODE_ID);
        response.brokers()
                .add(new MetadataResponseData.MetadataResponseBroker()
                        .setNodeId(NODE_ID)
                        .setHost("127.0.0.1")
                        .setPort(port()));
        List<String> wanted = data.topics() == null
                ? List.of(topic)
                : data.topics().stream()
                        .map(MetadataRequestData.MetadataRequestTopic::name)
                        .toList();
        for (String name : wanted) {
            MetadataResponseData.MetadataResponseTopic t =
                    new MetadataResponseData.MetadataResponseTopic().setName(name);
            if (!topic.equals(name)) {
                t.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            } else {
                t.setTopicId(topicId);
                for (int p = 0; p < partitions; p++) {
                    t.partitions()
                            .add(new MetadataResponseData.MetadataResponsePartition()
                                    .setPartitionIndex(p)
                                    .setLeaderId(NODE_ID)
                                    .setLeaderEpoch(0)
                                    .setReplicaNodes(List.of(NODE_ID))
                                    .setIsrNodes(List.of(NODE_ID))
                                    .setOfflineReplicas(List.of()));
                }
            }
            response.topics().add(t);
        }
        return HandlerResult.completed(new MetadataResponse(response, request.apiVersion()));
    }

    private CompletableFuture<HandlerResult> findCoordinator(DecodedRequest request) {
        FindCoordinatorRequestData data =
                request.body(FindCoordinatorRequest.class).data();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (request.apiVersion() >= 4) {
            for (String key : data.coordinatorKeys()) {
                response.coordinators()
                        .add(new FindCoordinatorResponseData.Coordinator()
                                .setKey(key)
                                .setNodeId(COORDINATOR_ID)
                                .setHost("127.0.0.1")
                                .setPort(coordinatorPort));
            }
        } else {
            response.setNodeId(COORDINATOR_ID).setHost("127.0.0.1").setPort(coordinatorPort);
        }
        return HandlerResult.completed(new FindCoordinatorResponse(response));
    }

    private CompletableFuture<HandlerResult> listOffsets(DecodedRequest request) {
        ListOffsetsRequestData data = request.body(ListOffsetsRequest.class).data();
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic t : data.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(t.name());
            for (ListOffsetsRequestData.ListOffsetsPartition p : t.partitions()) {
                topicResponse
                        .partitions()
                        .add(new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                                .setPartitionIndex(p.partitionIndex())
                                .setOffset(0)
                                .setTimestamp(-1)
                                .setLeaderEpoch(0));
            }
            response.topics().add(topicResponse);
        }
        return HandlerResult.completed(new ListOffsetsResponse(response));
    }

    private CompletableFuture<HandlerResult> fetch(DecodedRequest request) {
        FetchRequestData data = request.body(FetchRequest.class).data();
        List<FetchResponseData.FetchableTopicResponse> topics = new ArrayList<>();
        for (FetchRequestData.FetchTopic t : data.topics()) {
            FetchResponseData.FetchableTopicResponse topicResponse =
                    new FetchResponseData.FetchableTopicResponse().setTopic(t.topic());
            for (FetchRequestData.FetchPartition p : t.partitions()) {
                topicResponse
                        .partitions()
                        .add(new FetchResponseData.PartitionData()
                                .setPartitionIndex(p.partition())
                                .setHighWatermark(0)
                                .setLastStableOffset(0)
                                .setLogStartOffset(0)
                                .setRecords(MemoryRecords.EMPTY));
            }
            topics.add(topicResponse);
        }
        FetchResponseData response = new FetchResponseData().setSessionId(0).setResponses(topics);
        // an empty fetch waits its max wait, as a broker's long poll would
        return CompletableFuture.supplyAsync(
                () -> HandlerResult.respond(FetchResponse.of(response)),
                CompletableFuture.delayedExecutor(Math.min(data.maxWaitMs(), 200), TimeUnit.MILLISECONDS));
    }

    @Override
    public void close() {
        server.close();
    }
}
