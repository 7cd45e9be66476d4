package io.tributary.broker.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tributary.broker.admin.MetadataServiceClient;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicCollection;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The forwarding admin handlers over every version they advertise, against a real (JDK) HTTP
 * server answering as metadata-service would: each response is written at the request's version
 * and read back, so a field a version lacks can never break the wire format.
 */
class AdminHandlersTest {

    private static final String TOPIC_ID = "5f1c9a8e-0000-4000-8000-000000000001";

    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private MetadataServiceClient client;
    private ClusterMetadataCache emptyCache;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String call =
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            received.add(call + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String answer = answers.getOrDefault(call, "404 {\"errorCode\":3,\"detail\":\"Topic does not exist.\"}");
            int status = Integer.parseInt(answer.substring(0, 3));
            byte[] body = answer.substring(4).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .add("Content-Type", status / 100 == 2 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        client = new MetadataServiceClient(() -> List.of(uri));
        // never started: its snapshot stays empty
        emptyCache = new ClusterMetadataCache(CuratorFrameworkFactory.newClient("127.0.0.1:1", new RetryOneTime(1)));
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void shouldCreateTopicsAtEveryVersion() throws Exception {
        answers.put(
                "POST /api/topics",
                "201 {\"name\":\"orders\",\"topicId\":\"" + TOPIC_ID + "\",\"partitions\":["
                        + "{\"partition\":0,\"replicas\":[1,2],\"leader\":1,\"leaderEpoch\":0,\"isr\":[1,2]}],"
                        + "\"configs\":{\"retention.ms\":\"1000\"}}");
        CreateTopicsHandler handler = new CreateTopicsHandler(client);

        for (short version = handler.minVersion(); version <= handler.maxVersion(); version++) {
            CreatableTopicCollection topics = new CreatableTopicCollection();
            topics.add(
                    new CreatableTopic().setName("orders").setNumPartitions(1).setReplicationFactor((short) 2));
            topics.add(new CreatableTopic().setName("twice").setNumPartitions(1).setReplicationFactor((short) 1));
            topics.add(new CreatableTopic().setName("twice").setNumPartitions(2).setReplicationFactor((short) 1));
            CreateTopicsResponse response = (CreateTopicsResponse) roundTrip(
                    handler,
                    new CreateTopicsRequest.Builder(
                            new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(5000)),
                    version);

            CreatableTopicResult orders = response.data().topics().find("orders");
            assertThat(orders.errorCode()).isEqualTo(Errors.NONE.code());
            CreatableTopicResult twice = response.data().topics().find("twice");
            assertThat(twice.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            if (version >= 5) {
                assertThat(orders.numPartitions()).isEqualTo(1);
                assertThat(orders.replicationFactor()).isEqualTo((short) 2);
                assertThat(orders.configs())
                        .filteredOn(c -> c.name().equals("retention.ms"))
                        .singleElement()
                        .satisfies(c -> {
                            assertThat(c.value()).isEqualTo("1000");
                            assertThat(c.configSource()).isEqualTo(ConfigSource.TOPIC_CONFIG.id());
                        });
                assertThat(orders.configs())
                        .extracting(CreatableTopicConfigs::configSource)
                        .contains(ConfigSource.DEFAULT_CONFIG.id());
            }
            if (version >= 7) {
                assertThat(orders.topicId()).isEqualTo(TopicIds.toKafka(UUID.fromString(TOPIC_ID)));
            }
        }
        assertThat(received).noneMatch(call -> call.contains("\"twice\""));
    }

    @Test
    void shouldMapMetadataServiceErrorsPerTopic() throws Exception {
        answers.put(
                "POST /api/topics",
                "409 {\"errorCode\":36,\"error\":\"TOPIC_ALREADY_EXISTS\","
                        + "\"detail\":\"Topic 'orders' already exists.\"}");
        CreatableTopicCollection topics = new CreatableTopicCollection();
        topics.add(new CreatableTopic().setName("orders").setNumPartitions(-1).setReplicationFactor((short) -1));

        CreateTopicsResponse response = (CreateTopicsResponse) roundTrip(
                new CreateTopicsHandler(client),
                new CreateTopicsRequest.Builder(new CreateTopicsRequestData().setTopics(topics)),
                (short) 7);

        CreatableTopicResult orders = response.data().topics().find("orders");
        assertThat(orders.errorCode()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS.code());
        assertThat(orders.errorMessage()).isEqualTo("Topic 'orders' already exists.");
        assertThat(received)
                .singleElement()
                .asString()
                .contains("\"partitions\":-1")
                .contains("\"replicationFactor\":-1");
    }

    @Test
    void shouldDeleteByNameAndRefuseUnknownIds() throws Exception {
        answers.put("DELETE /api/topics/orders", "204 ");
        DeleteTopicsHandler handler = new DeleteTopicsHandler(client, emptyCache);

        for (short version = handler.minVersion(); version <= handler.maxVersion(); version++) {
            DeleteTopicsRequestData data = new DeleteTopicsRequestData().setTimeoutMs(5000);
            if (version >= 6) {
                data.setTopics(List.of(
                        new DeleteTopicState().setName("orders"),
                        new DeleteTopicState().setTopicId(Uuid.randomUuid())));
            } else {
                data.setTopicNames(List.of("orders", "missing"));
            }
            DeleteTopicsResponse response =
                    (DeleteTopicsResponse) roundTrip(handler, new DeleteTopicsRequest.Builder(data), version);

            assertThat(response.data().responses()).hasSize(2);
            assertThat(response.data().responses().find("orders").errorCode()).isEqualTo(Errors.NONE.code());
            Errors other = version >= 6 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            assertThat(response.data().responses())
                    .anySatisfy(r -> assertThat(r.errorCode()).isEqualTo(other.code()));
        }
    }

    @Test
    void shouldDescribeTopicAndBrokerConfigsAtEveryVersion() throws Exception {
        answers.put(
                "GET /api/topics/orders/configs",
                "200 {\"topic\":\"orders\",\"configs\":["
                        + "{\"name\":\"retention.ms\",\"value\":\"1000\",\"source\":\"TOPIC\",\"type\":\"LONG\"},"
                        + "{\"name\":\"segment.bytes\",\"value\":\"1073741824\",\"source\":\"DEFAULT\",\"type\":\"INT\"}]}");
        DescribeConfigsHandler handler = new DescribeConfigsHandler(client, brokerProperties(2));

        for (short version = handler.minVersion(); version <= handler.maxVersion(); version++) {
            DescribeConfigsRequestData data = new DescribeConfigsRequestData()
                    .setIncludeSynonyms(true)
                    .setIncludeDocumentation(version >= 3)
                    .setResources(List.of(
                            resource(ConfigResource.Type.TOPIC, "orders"),
                            resource(ConfigResource.Type.BROKER, "2"),
                            resource(ConfigResource.Type.BROKER, "3"),
                            resource(ConfigResource.Type.TOPIC, "missing")));
            DescribeConfigsResponse response =
                    (DescribeConfigsResponse) roundTrip(handler, new DescribeConfigsRequest.Builder(data), version);

            List<DescribeConfigsResult> results = response.data().results();
            assertThat(results)
                    .extracting(DescribeConfigsResult::errorCode)
                    .containsExactly(
                            Errors.NONE.code(),
                            Errors.NONE.code(),
                            Errors.INVALID_REQUEST.code(),
                            Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            DescribeConfigsResourceResult retention = results.get(0).configs().get(0);
            assertThat(retention.name()).isEqualTo("retention.ms");
            assertThat(retention.configSource()).isEqualTo(ConfigSource.TOPIC_CONFIG.id());
            assertThat(retention.synonyms())
                    .extracting(s -> s.source())
                    .containsExactly(ConfigSource.TOPIC_CONFIG.id(), ConfigSource.DEFAULT_CONFIG.id());
            if (version >= 3) {
                assertThat(retention.documentation()).isNotBlank();
                assertThat(retention.configType()).isEqualTo(DescribeConfigsResponse.ConfigType.LONG.id());
            }
            assertThat(results.get(1).configs())
                    .filteredOn(c -> c.name().equals("broker.id"))
                    .singleElement()
                    .satisfies(c -> {
                        assertThat(c.value()).isEqualTo("2");
                        assertThat(c.readOnly()).isTrue();
                        assertThat(c.configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
                    });
        }
    }

    @Test
    void shouldTurnSetAndDeleteIntoOnePatchAndRefuseAppend() throws Exception {
        answers.put("PATCH /api/topics/orders/configs", "200 {\"topic\":\"orders\",\"configs\":[]}");
        IncrementalAlterConfigsHandler handler = new IncrementalAlterConfigsHandler(client);

        for (short version = handler.minVersion(); version <= handler.maxVersion(); version++) {
            received.clear();
            IncrementalAlterConfigsRequestData data = new IncrementalAlterConfigsRequestData();
            data.resources()
                    .add(alter(
                            ConfigResource.Type.TOPIC,
                            "orders",
                            op("retention.ms", "1000", AlterConfigOp.OpType.SET),
                            op("segment.bytes", null, AlterConfigOp.OpType.DELETE)));
            data.resources()
                    .add(alter(
                            ConfigResource.Type.TOPIC,
                            "appended",
                            op("cleanup.policy", "delete", AlterConfigOp.OpType.APPEND)));
            data.resources()
                    .add(alter(
                            ConfigResource.Type.BROKER, "1", op("min.insync.replicas", "2", AlterConfigOp.OpType.SET)));
            IncrementalAlterConfigsResponse response = (IncrementalAlterConfigsResponse)
                    roundTrip(handler, new IncrementalAlterConfigsRequest.Builder(data), version);

            assertThat(response.data().responses())
                    .extracting(AlterConfigsResourceResponse::errorCode)
                    .containsExactly(Errors.NONE.code(), Errors.INVALID_REQUEST.code(), Errors.INVALID_REQUEST.code());
            assertThat(received)
                    .singleElement()
                    .asString()
                    .startsWith("PATCH /api/topics/orders/configs")
                    .contains("\"set\":{\"retention.ms\":\"1000\"}")
                    .contains("\"delete\":[\"segment.bytes\"]");
        }
    }

    // ---------------------------------------------------------------------------------------

    /** Handles {@code builder}'s request at {@code version}, then writes and re-reads the response there. */
    private static AbstractResponse roundTrip(
            io.tributary.common.protocol.ApiHandler handler, AbstractRequest.Builder<?> builder, short version)
            throws Exception {
        AbstractRequest request = builder.build(version);
        RequestHeader header = new RequestHeader(handler.apiKey(), version, "test", 1);
        DecodedRequest decoded = new DecodedRequest(
                header,
                handler.apiKey(),
                version,
                request,
                "test",
                new InetSocketAddress("127.0.0.1", 1),
                "conn-1",
                100);
        HandlerResult result = handler.handle(decoded).get(10, TimeUnit.SECONDS);
        AbstractResponse response = ((HandlerResult.Respond) result).response();
        ApiKeys key = handler.apiKey();
        return AbstractResponse.parseResponse(key, MessageUtil.toByteBufferAccessor(response.data(), version), version);
    }

    private static DescribeConfigsResource resource(ConfigResource.Type type, String name) {
        return new DescribeConfigsResource().setResourceType(type.id()).setResourceName(name);
    }

    private static AlterConfigsResource alter(ConfigResource.Type type, String name, AlterableConfig... configs) {
        AlterConfigsResource resource =
                new AlterConfigsResource().setResourceType(type.id()).setResourceName(name);
        for (AlterableConfig config : configs) {
            resource.configs().add(config);
        }
        return resource;
    }

    private static AlterableConfig op(String name, String value, AlterConfigOp.OpType type) {
        return new AlterableConfig().setName(name).setValue(value).setConfigOperation(type.id());
    }

    private static BrokerProperties brokerProperties(int id) {
        return new BrokerProperties(
                id,
                "localhost",
                "0.0.0.0",
                9092,
                "",
                Duration.ofSeconds(10),
                List.of("/data/b"),
                2,
                4,
                DataSize.ofMegabytes(100),
                false,
                1,
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                DataSize.ofMegabytes(1),
                DataSize.ofMegabytes(10),
                Duration.ofMillis(500),
                DataSize.ofBytes(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                1000,
                1,
                Duration.ofMinutes(10),
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                32);
    }
}
