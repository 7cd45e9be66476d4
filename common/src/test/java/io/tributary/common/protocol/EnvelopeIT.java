package io.tributary.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.protocol.client.KafkaProtocolClient;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.EnvelopeRequest;
import org.apache.kafka.common.requests.EnvelopeResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Envelope (KIP-590) end to end on real sockets: a "coordinator" server that opted in to
 * unwrapping envelopes, a "broker" server that did not and relays its Heartbeat and JoinGroup
 * requests inside envelopes with a real {@link KafkaProtocolClient}, and raw sockets or the
 * client itself as the original client.
 */
class EnvelopeIT {

    private static final String CONSUMER = "consumer-audit-1";
    /** JoinGroup versions the coordinator's handler serves: fewer than kafka-clients knows. */
    private static final short JOIN_MIN = 2;

    private static final short JOIN_MAX = 6;

    private final List<DecodedRequest> received = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<HandlerResult>> parked = new CopyOnWriteArrayList<>();
    private final List<ConnectionInfo> coordinatorConnections = new CopyOnWriteArrayList<>();
    private KafkaProtocolServer coordinator;
    private KafkaProtocolServer broker;
    private KafkaProtocolClient client;
    private Node coordinatorNode;

    @BeforeEach
    void start() {
        coordinator = new KafkaProtocolServer(
                ProtocolServerConfig.of("127.0.0.1", 0).withIoThreads(1),
                ApiHandlerRegistry.builder()
                        .register(new RecordingHeartbeatHandler())
                        .register(new EchoJoinGroupHandler())
                        .unwrapEnvelopes()
                        .build());
        coordinator.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionOpened(ConnectionInfo connection) {
                coordinatorConnections.add(connection);
            }
        });
        coordinator.start();
        coordinatorNode = new Node(100, "127.0.0.1", coordinator.port());
        client = new KafkaProtocolClient("broker-1-group-relay", Duration.ofSeconds(10));
        broker = ProtocolTestSupport.startLoopbackServer(
                new RelayingHandler(ApiKeys.HEARTBEAT), new RelayingHandler(ApiKeys.JOIN_GROUP));
    }

    @AfterEach
    void stop() {
        client.close();
        broker.close();
        coordinator.close();
    }

    @Test
    void shouldHandTheInnerRequestToItsHandlerWithTheClientsHeaderAndAddress() throws Exception {
        DecodedRequest original = received(heartbeat("g").build((short) 2), CONSUMER, 77, "10.1.2.3");

        AbstractResponse response =
                client.relayInEnvelope(coordinatorNode, original).get(10, TimeUnit.SECONDS);

        assertThat(((HeartbeatResponse) response).error()).isEqualTo(Errors.NONE);
        assertThat(received).singleElement().satisfies(inner -> {
            assertThat(inner.apiKey()).isEqualTo(ApiKeys.HEARTBEAT);
            assertThat(inner.apiVersion()).isEqualTo((short) 2);
            assertThat(inner.clientId()).isEqualTo(CONSUMER);
            assertThat(inner.header().clientId()).isEqualTo(CONSUMER);
            assertThat(inner.header().apiVersion()).isEqualTo((short) 2);
            assertThat(inner.correlationId()).isEqualTo(77);
            assertThat(inner.remoteAddress().getAddress()).isEqualTo(InetAddress.getByName("10.1.2.3"));
            assertThat(inner.body(HeartbeatRequest.class).data().groupId()).isEqualTo("g");
            // the forwarder's real connection, which per-connection state is keyed by
            assertThat(coordinatorConnections)
                    .extracting(ConnectionInfo::connectionId)
                    .contains(inner.connectionId());
        });
    }

    @Test
    void shouldCarryAnIpv6ClientAddress() throws Exception {
        DecodedRequest original = received(heartbeat("g").build((short) 4), CONSUMER, 1, "2001:db8::7");

        client.relayInEnvelope(coordinatorNode, original).get(10, TimeUnit.SECONDS);

        assertThat(received)
                .singleElement()
                .satisfies(inner ->
                        assertThat(inner.remoteAddress().getAddress()).isEqualTo(InetAddress.getByName("2001:db8::7")));
    }

    @Test
    void shouldReturnTheInnerResponseByteForByteAsTheCoordinatorProducedIt() throws Exception {
        Map<String, AbstractRequest> requests = Map.of(
                "JoinGroup v5", new JoinGroupRequest.Builder(join("m-5")).build((short) 5),
                "JoinGroup v6 (flexible)", new JoinGroupRequest.Builder(join("m-6")).build((short) 6),
                "Heartbeat v0", heartbeat("g").build((short) 0),
                "Heartbeat v4 (flexible)", heartbeat("g").build((short) 4));
        for (Map.Entry<String, AbstractRequest> request : requests.entrySet()) {
            ByteBuffer frame = ProtocolTestSupport.frame(request.getValue(), 4242);

            byte[] direct = exchange(coordinator.port(), frame.duplicate());
            byte[] relayed = exchange(broker.port(), frame.duplicate());

            assertThat(relayed).as(request.getKey()).isEqualTo(direct);
        }
        assertThat(received).extracting(DecodedRequest::clientId).containsOnly(ProtocolTestSupport.CLIENT_ID);
    }

    @Test
    void shouldAnswerAHandlerFailureWithTheInnerApisErrorInsideASuccessfulEnvelope() throws Exception {
        EnvelopeResponse expected = envelope(heartbeat("fail-expected").build((short) 4), 11);
        EnvelopeResponse unexpected = envelope(heartbeat("fail-unexpected").build((short) 4), 12);

        assertThat(expected.error()).isEqualTo(Errors.NONE);
        assertThat(innerHeartbeat(expected, 11, (short) 4).error()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(unexpected.error()).isEqualTo(Errors.NONE);
        assertThat(innerHeartbeat(unexpected, 12, (short) 4).error()).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void shouldRefuseAnInnerApiThatIsNotServedWithTheEnvelopesOwnError() throws Exception {
        EnvelopeResponse notServed = envelope(new ListGroupsRequest.Builder(new ListGroupsRequestData()).build(), 1);
        EnvelopeResponse apiVersions = envelope(new ApiVersionsRequest.Builder().build(), 2);

        assertThat(notServed.error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(notServed.responseData()).isNull();
        assertThat(apiVersions.error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThatThrownBy(() -> client.relayInEnvelope(
                                coordinatorNode,
                                received(
                                        new ListGroupsRequest.Builder(new ListGroupsRequestData()).build(),
                                        CONSUMER,
                                        3,
                                        "10.0.0.1"))
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidRequestException.class);
        // a refused envelope leaves the forwarder's connection open
        assertThat(client.relayInEnvelope(
                                coordinatorNode, received(heartbeat("g").build(), CONSUMER, 4, "10.0.0.1"))
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(HeartbeatResponse.class);
    }

    @Test
    void shouldRefuseANestedEnvelope() throws Exception {
        EnvelopeRequest inner = envelopeAround(heartbeat("g").build((short) 4), 5, new byte[] {10, 0, 0, 1});

        EnvelopeResponse response = envelope(inner, 6);

        assertThat(response.error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(received).isEmpty();
    }

    @Test
    void shouldRefuseAnInnerVersionItsHandlerDoesNotServe() {
        DecodedRequest v9 = received(new JoinGroupRequest.Builder(join("")).build((short) 9), CONSUMER, 1, "10.0.0.1");

        assertThatThrownBy(() -> client.relayInEnvelope(coordinatorNode, v9).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnsupportedVersionException.class);
        assertThat(received).isEmpty();
    }

    @Test
    void shouldRefuseAnUnparsableInnerRequestOrClientAddress() throws Exception {
        ByteBuffer whole = heartbeat("g")
                .build((short) 4)
                .serializeWithHeader(new RequestHeader(ApiKeys.HEARTBEAT, (short) 4, CONSUMER, 7));
        ByteBuffer truncatedBody = whole.duplicate();
        truncatedBody.limit(whole.limit() - 3);
        ByteBuffer truncatedHeader = whole.duplicate();
        truncatedHeader.limit(3);

        assertThat(rawEnvelope(truncatedBody, new byte[] {10, 0, 0, 1}).error()).isEqualTo(Errors.UNSUPPORTED_VERSION);
        assertThat(rawEnvelope(truncatedHeader, new byte[] {10, 0, 0, 1}).error())
                .isEqualTo(Errors.UNSUPPORTED_VERSION);
        assertThat(rawEnvelope(whole.duplicate(), new byte[] {10, 0, 0, 1, 2}).error())
                .isEqualTo(Errors.INVALID_REQUEST);
        assertThat(received).isEmpty();
    }

    @Test
    void shouldServeEnvelopeOnlyWhereTheServiceOptedIn() throws Exception {
        Map<ApiKeys, ApiVersion> atCoordinator = apiVersions(coordinatorNode);
        Node brokerNode = new Node(1, "127.0.0.1", broker.port());
        Map<ApiKeys, ApiVersion> atBroker = apiVersions(brokerNode);

        assertThat(atCoordinator).containsKey(ApiKeys.ENVELOPE);
        assertThat(atCoordinator.get(ApiKeys.ENVELOPE).minVersion()).isZero();
        assertThat(atCoordinator.get(ApiKeys.ENVELOPE).maxVersion()).isEqualTo(ApiKeys.ENVELOPE.latestVersion(false));
        assertThat(atBroker).doesNotContainKey(ApiKeys.ENVELOPE);
        // the client does not even send it, and a client that does is disconnected, like for any unserved API
        assertThatThrownBy(() -> client.relayInEnvelope(
                                brokerNode, received(heartbeat("g").build(), CONSUMER, 1, "10.0.0.1"))
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnsupportedVersionException.class);
        EnvelopeRequest envelope = envelopeAround(heartbeat("g").build((short) 4), 1, new byte[] {127, 0, 0, 1});
        try (Socket socket = connect(broker.port())) {
            socket.getOutputStream()
                    .write(ProtocolTestSupport.frame(envelope, 2).array());
            assertClosedByServer(socket);
        }
        assertThat(received).isEmpty();
    }

    @Test
    void shouldCarryTheClientsPrincipalAndTakeEnvelopesOnlyFromTrustedSenders() throws Exception {
        DecodedRequest original = received(heartbeat("g").build((short) 4), CONSUMER, 5, "10.0.0.1")
                .withPrincipal(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));

        client.relayInEnvelope(coordinatorNode, original).get(10, TimeUnit.SECONDS);

        assertThat(received)
                .singleElement()
                .satisfies(inner -> assertThat(inner.principal()).isEqualTo(original.principal()));
        // a service that trusts no sender refuses the envelope before its handlers see anything
        KafkaProtocolServer distrustful = new KafkaProtocolServer(
                ProtocolServerConfig.of("127.0.0.1", 0).withIoThreads(1),
                ApiHandlerRegistry.builder()
                        .register(new RecordingHeartbeatHandler())
                        .unwrapEnvelopes(envelope -> false)
                        .build());
        distrustful.start();
        try {
            Node node = new Node(101, "127.0.0.1", distrustful.port());
            assertThatThrownBy(() -> client.relayInEnvelope(node, original).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
        } finally {
            distrustful.close();
        }
        assertThat(received).hasSize(1);
    }

    @Test
    void shouldCancelTheParkedInnerRequestWhenTheForwardersConnectionCloses() throws Exception {
        client.relayInEnvelope(coordinatorNode, received(heartbeat("park").build(), CONSUMER, 1, "10.0.0.1"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> parked.size() == 1);

        client.close();

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> parked.get(0).isCancelled());
    }

    // --- helpers

    /** {@code request} as our server would have decoded it from a client. */
    private static DecodedRequest received(AbstractRequest request, String clientId, int correlationId, String host) {
        try {
            return new DecodedRequest(
                    new RequestHeader(request.apiKey(), request.version(), clientId, correlationId),
                    request.apiKey(),
                    request.version(),
                    request,
                    clientId,
                    new InetSocketAddress(InetAddress.getByName(host), 50_000),
                    "client-connection",
                    0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static HeartbeatRequest.Builder heartbeat(String groupId) {
        return new HeartbeatRequest.Builder(
                new HeartbeatRequestData().setGroupId(groupId).setMemberId("m").setGenerationId(3));
    }

    private static JoinGroupRequestData join(String memberId) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {1, 2, 3}));
        return new JoinGroupRequestData()
                .setGroupId("audit")
                .setMemberId(memberId)
                .setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(20_000)
                .setProtocolType("consumer")
                .setProtocols(protocols);
    }

    private static EnvelopeRequest envelopeAround(AbstractRequest inner, int correlationId, byte[] address) {
        ByteBuffer data =
                inner.serializeWithHeader(new RequestHeader(inner.apiKey(), inner.version(), CONSUMER, correlationId));
        return new EnvelopeRequest.Builder(data, null, address).build(ApiKeys.ENVELOPE.latestVersion(false));
    }

    /** Sends {@code inner} from {@link #CONSUMER} at 10.0.0.1 in an envelope built here; the envelope's answer. */
    private EnvelopeResponse envelope(AbstractRequest inner, int correlationId) throws Exception {
        return sendEnvelope(envelopeAround(inner, correlationId, new byte[] {10, 0, 0, 1}));
    }

    private EnvelopeResponse rawEnvelope(ByteBuffer requestData, byte[] address) throws Exception {
        return sendEnvelope(
                new EnvelopeRequest.Builder(requestData, null, address).build(ApiKeys.ENVELOPE.latestVersion(false)));
    }

    private EnvelopeResponse sendEnvelope(EnvelopeRequest envelope) throws Exception {
        AbstractRequest.Builder<EnvelopeRequest> asIs = new AbstractRequest.Builder<>(ApiKeys.ENVELOPE) {
            @Override
            public EnvelopeRequest build(short version) {
                return envelope;
            }
        };
        return (EnvelopeResponse) client.send(coordinatorNode, asIs).get(10, TimeUnit.SECONDS);
    }

    private static HeartbeatResponse innerHeartbeat(EnvelopeResponse envelope, int correlationId, short version) {
        ByteBuffer data = envelope.responseData().duplicate();
        assertThat(ResponseHeader.parse(data, ApiKeys.HEARTBEAT.responseHeaderVersion(version))
                        .correlationId())
                .isEqualTo(correlationId);
        return (HeartbeatResponse)
                AbstractResponse.parseResponse(ApiKeys.HEARTBEAT, new ByteBufferAccessor(data), version);
    }

    private Map<ApiKeys, ApiVersion> apiVersions(Node node) throws Exception {
        ApiVersionsResponse response = (ApiVersionsResponse)
                client.send(node, new ApiVersionsRequest.Builder()).get(10, TimeUnit.SECONDS);
        Map<ApiKeys, ApiVersion> byKey = new HashMap<>();
        response.data().apiKeys().forEach(v -> byKey.put(ApiKeys.forId(v.apiKey()), v));
        return byKey;
    }

    /** One request frame over a new raw socket; the response frame (without its size prefix). */
    private static byte[] exchange(int port, ByteBuffer frame) throws IOException {
        try (Socket socket = connect(port)) {
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            socket.getOutputStream().write(bytes);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            return response;
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void assertClosedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            assertThat(in.read()).as("server closes the connection").isEqualTo(-1);
        } catch (SocketException reset) {
            // a reset is a close too
        }
    }

    // --- the services

    /**
     * The coordinator's Heartbeat: records what it was given; "fail-expected" fails with a Kafka
     * error, "fail-unexpected" with a bug, "park" never answers; anything else is answered NONE.
     */
    private final class RecordingHeartbeatHandler implements ApiHandler {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.HEARTBEAT;
        }

        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            received.add(request);
            switch (request.body(HeartbeatRequest.class).data().groupId()) {
                case "fail-expected":
                    throw new CoordinatorLoadInProgressException("loading");
                case "fail-unexpected":
                    return CompletableFuture.failedFuture(new IllegalStateException("a bug"));
                case "park":
                    CompletableFuture<HandlerResult> future = new CompletableFuture<>();
                    parked.add(future);
                    return future;
                default:
                    return HandlerResult.completed(new HeartbeatResponse(new HeartbeatResponseData()
                            .setErrorCode(Errors.NONE.code())
                            .setThrottleTimeMs(5)));
            }
        }
    }

    /** The coordinator's JoinGroup, v2-6 only: an answer made of the request, the client id and host. */
    private final class EchoJoinGroupHandler implements ApiHandler {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.JOIN_GROUP;
        }

        @Override
        public short minVersion() {
            return JOIN_MIN;
        }

        @Override
        public short maxVersion() {
            return JOIN_MAX;
        }

        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            received.add(request);
            JoinGroupRequestData data = request.body(JoinGroupRequest.class).data();
            String memberId = request.clientId() + "-"
                    + request.remoteAddress().getAddress().getHostAddress();
            JoinGroupResponseData response = new JoinGroupResponseData()
                    .setErrorCode(Errors.NONE.code())
                    .setGenerationId(7)
                    .setProtocolName("range")
                    .setLeader(memberId)
                    .setMemberId(memberId)
                    .setThrottleTimeMs(1);
            response.members()
                    .add(new JoinGroupResponseMember()
                            .setMemberId(memberId)
                            .setMetadata(data.protocols().iterator().next().metadata()));
            response.members()
                    .add(new JoinGroupResponseMember()
                            .setMemberId(data.memberId())
                            .setGroupInstanceId("instance-" + data.memberId())
                            .setMetadata(new byte[] {9}));
            return HandlerResult.completed(new JoinGroupResponse(response, request.apiVersion()));
        }
    }

    /** The broker's side: relays the client's request in an envelope and returns the inner answer. */
    private final class RelayingHandler implements ApiHandler {
        private final ApiKeys apiKey;

        RelayingHandler(ApiKeys apiKey) {
            this.apiKey = apiKey;
        }

        @Override
        public ApiKeys apiKey() {
            return apiKey;
        }

        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            return client.relayInEnvelope(coordinatorNode, request).thenApply(HandlerResult::respond);
        }
    }
}
