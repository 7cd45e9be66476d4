package io.tributary.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.common.protocol.metrics.MicrometerConnectionMetrics;
import io.tributary.common.protocol.metrics.MicrometerRequestMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real server on a random port, served to the real kafka-clients AdminClient, plus hostile
 * raw sockets that must be closed without disturbing the AdminClient's connection.
 */
class KafkaProtocolServerIT {

    private static final int NODE_ID = 1;
    private static final String CLUSTER_ID = "tributary-it-cluster";

    private static final ExecutorService ASYNC = Executors.newSingleThreadExecutor();
    private static final CopyOnWriteArrayList<ConnectionInfo> CLOSED = new CopyOnWriteArrayList<>();
    private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();
    private static KafkaProtocolServer server;
    private static Admin admin;

    @BeforeAll
    static void start() {
        ApiHandlerRegistry registry = ApiHandlerRegistry.builder()
                .register(new SelfMetadataHandler())
                .register(new SelfDescribeClusterHandler())
                .build();
        server = new KafkaProtocolServer(
                ProtocolServerConfig.of("127.0.0.1", 0).withIoThreads(1).withMaxRequestBytes(1024 * 1024), registry);
        server.requestMetrics(new MicrometerRequestMetrics(METERS, registry.apiKeys()));
        new MicrometerConnectionMetrics(server.metrics()).bindTo(METERS);
        server.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosed(ConnectionInfo connection) {
                CLOSED.add(connection);
            }
        });
        server.start();
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + server.port(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (server != null) {
            server.close();
        }
        ASYNC.shutdownNow();
    }

    @Test
    void shouldServeTheAdminClient() throws Exception {
        assertAdminWorks();

        // a request is counted once its response is written, a hair after the client may read it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(requestCount(ApiKeys.API_VERSIONS)).isPositive();
            assertThat(requestCount(ApiKeys.METADATA)).isPositive();
            assertThat(requestCount(ApiKeys.DESCRIBE_CLUSTER)).isPositive();
        });
        assertThat(server.metrics().activeConnections()).isPositive();
        assertThat(METERS.get(MicrometerConnectionMetrics.CONNECTION_COUNT)
                        .gauge()
                        .value())
                .isEqualTo(server.metrics().activeConnections());
    }

    private static long requestCount(ApiKeys api) {
        return METERS.get(MicrometerRequestMetrics.TOTAL_TIME)
                .tag("request", api.name)
                .timer()
                .count();
    }

    @Test
    void shouldCloseHostileConnectionsAndKeepServingOthers() throws Exception {
        assertAdminWorks();
        long rejectedBefore = server.metrics().rejectedConnections();

        // random bytes: a size prefix far beyond socket.request.max.bytes
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        noise[0] = (byte) 0x7f;
        assertClosedAfterSending(noise);
        // random bytes inside a well-formed frame: an API key that does not exist
        ByteBuffer garbage = ByteBuffer.allocate(4 + 64).putInt(64).putShort((short) 0x7abc);
        byte[] rest = new byte[62];
        new Random(7).nextBytes(rest);
        assertClosedAfterSending(garbage.put(rest).array());
        // a frame whose body is cut short: the size matches, the Metadata body does not
        ByteBuffer metadata = ProtocolTestSupport.frame(
                new MetadataRequest(
                        new MetadataRequestData().setTopics(null).setAllowAutoTopicCreation(false), (short) 12),
                1);
        int truncatedSize = metadata.remaining() - 4 - 3;
        ByteBuffer truncatedBody =
                ByteBuffer.allocate(4 + truncatedSize).putInt(truncatedSize).put(metadata.array(), 4, truncatedSize);
        assertClosedAfterSending(truncatedBody.array());
        // a truncated frame: the client stops writing half-way and half-closes
        try (Socket socket = connect()) {
            socket.getOutputStream().write(ByteBuffer.allocate(14).putInt(100).array());
            socket.shutdownOutput();
            assertClosedByServer(socket);
        }

        assertThat(server.metrics().rejectedConnections()).isEqualTo(rejectedBefore + 3);
        assertAdminWorks();
        assertThat(CLOSED).hasSizeGreaterThanOrEqualTo(4);
    }

    private static void assertAdminWorks() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        assertThat(cluster.clusterId().get(20, TimeUnit.SECONDS)).isEqualTo(CLUSTER_ID);
        Node controller = cluster.controller().get(20, TimeUnit.SECONDS);
        assertThat(controller.id()).isEqualTo(NODE_ID);
        assertThat(cluster.nodes().get(20, TimeUnit.SECONDS))
                .extracting(Node::port)
                .containsExactly(server.port());
        assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).isEmpty();
    }

    private static void assertClosedAfterSending(byte[] bytes) throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                return; // closed while we were still writing: also a close
            }
            assertClosedByServer(socket);
        }
    }

    private static void assertClosedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            assertThat(in.read()).as("server closes the connection").isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            // a reset (unread data discarded on close) is a close too
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Metadata naming this server as the only broker and the controller; answers asynchronously. */
    static final class SelfMetadataHandler implements ApiHandler {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.METADATA;
        }

        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            // completes off the event loop, like a forwarded request would
            return CompletableFuture.supplyAsync(
                    () -> {
                        MetadataResponseData.MetadataResponseBrokerCollection brokers =
                                new MetadataResponseData.MetadataResponseBrokerCollection();
                        brokers.add(new MetadataResponseData.MetadataResponseBroker()
                                .setNodeId(NODE_ID)
                                .setHost("127.0.0.1")
                                .setPort(server.port()));
                        return HandlerResult.respond(new MetadataResponse(
                                new MetadataResponseData()
                                        .setBrokers(brokers)
                                        .setClusterId(CLUSTER_ID)
                                        .setControllerId(NODE_ID),
                                request.apiVersion()));
                    },
                    ASYNC);
        }
    }

    /** DescribeCluster with the same single broker. */
    static final class SelfDescribeClusterHandler implements ApiHandler {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.DESCRIBE_CLUSTER;
        }

        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            DescribeClusterResponseData.DescribeClusterBrokerCollection brokers =
                    new DescribeClusterResponseData.DescribeClusterBrokerCollection();
            brokers.add(new DescribeClusterResponseData.DescribeClusterBroker()
                    .setBrokerId(NODE_ID)
                    .setHost("127.0.0.1")
                    .setPort(server.port()));
            return HandlerResult.completed(new DescribeClusterResponse(new DescribeClusterResponseData()
                    .setBrokers(brokers)
                    .setClusterId(CLUSTER_ID)
                    .setControllerId(NODE_ID)));
        }
    }
}
