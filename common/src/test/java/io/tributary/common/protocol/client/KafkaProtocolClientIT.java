package io.tributary.common.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.protocol.ProtocolTestSupport;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inter-service client against a real {@link KafkaProtocolServer}. */
class KafkaProtocolClientIT {

    private final List<Short> versionsSeen = new CopyOnWriteArrayList<>();
    private KafkaProtocolServer server;
    private KafkaProtocolClient client;
    private Node node;

    @BeforeEach
    void setUp() {
        server = ProtocolTestSupport.startLoopbackServer(new HeartbeatHandler());
        node = new Node(100, "127.0.0.1", server.port());
        client = new KafkaProtocolClient("it-forwarder", Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.close();
    }

    @Test
    void shouldSendPipelinedRequestsAtTheNegotiatedVersion() throws Exception {
        List<CompletableFuture<AbstractResponse>> responses = IntStream.range(0, 20)
                .mapToObj(i -> client.send(node, heartbeat("group-" + i)))
                .toList();

        for (CompletableFuture<AbstractResponse> response : responses) {
            assertThat(((HeartbeatResponse) response.get(10, TimeUnit.SECONDS)).error())
                    .isEqualTo(Errors.NONE);
        }
        assertThat(versionsSeen).hasSize(20).containsOnly(ApiKeys.HEARTBEAT.latestVersion(false));
    }

    @Test
    void shouldFailAnApiTheNodeDoesNotServe() {
        CompletableFuture<AbstractResponse> response =
                client.send(node, new ListGroupsRequest.Builder(new ListGroupsRequestData()));

        assertThatThrownBy(() -> response.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnsupportedVersionException.class);
    }

    @Test
    void shouldFailFastWhenTheNodeIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        CompletableFuture<AbstractResponse> response =
                client.send(new Node(7, "127.0.0.1", closedPort), heartbeat("g"));

        assertThatThrownBy(() -> response.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(NetworkException.class);
        // and the client still serves other nodes
        assertThat(client.send(node, heartbeat("g")).get(10, TimeUnit.SECONDS)).isInstanceOf(HeartbeatResponse.class);
    }

    @Test
    void shouldFailOutstandingRequestsOnClose() {
        CompletableFuture<AbstractResponse> response = client.send(node, heartbeat("never"));

        client.close();

        assertThatThrownBy(() -> response.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(DisconnectException.class);
        assertThat(client.send(node, heartbeat("g"))).isCompletedExceptionally();
    }

    private static HeartbeatRequest.Builder heartbeat(String groupId) {
        return new HeartbeatRequest.Builder(
                new HeartbeatRequestData().setGroupId(groupId).setMemberId("m"));
    }

    /** Answers REBALANCE_IN_PROGRESS to "relayed", never to "never", NONE otherwise. */
    private final class HeartbeatHandler implements ApiHandler {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.HEARTBEAT;
        }

        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            versionsSeen.add(request.apiVersion());
            String group = request.body(HeartbeatRequest.class).data().groupId();
            if (group.equals("never")) {
                return new CompletableFuture<>();
            }
            Errors error = group.equals("relayed") ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
            return HandlerResult.completed(
                    new HeartbeatResponse(new HeartbeatResponseData().setErrorCode(error.code())));
        }
    }
}
