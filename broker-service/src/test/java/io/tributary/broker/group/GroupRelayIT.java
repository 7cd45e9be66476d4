package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.protocol.ProtocolServerConfig;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker's relay against a real Kafka-protocol server standing in for the group-coordinator:
 * what the coordinator is told about the client, and what the client gets when the coordinator
 * cannot take envelopes.
 */
class GroupRelayIT {

    private final List<DecodedRequest> seenByCoordinator = new CopyOnWriteArrayList<>();
    private final KafkaProtocolClient client = new KafkaProtocolClient("broker-1-group-relay", Duration.ofSeconds(10));
    private final GroupRelay relay = new GroupRelay(null, client);
    private KafkaProtocolServer coordinator;

    @AfterEach
    void stop() {
        relay.close();
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void shouldRelayTheClientsRequestAsTheClientsOwn() throws Exception {
        Node owner = startCoordinator(true);

        HandlerResult result = relay.relay(fromClient("consumer-workers-1", "10.1.1.1", (short) 2), owner)
                .get(10, TimeUnit.SECONDS);

        assertThat(heartbeatError(result)).isEqualTo(Errors.NONE);
        assertThat(seenByCoordinator).singleElement().satisfies(request -> {
            assertThat(request.clientId()).isEqualTo("consumer-workers-1");
            assertThat(request.remoteAddress().getAddress()).isEqualTo(InetAddress.getByName("10.1.1.1"));
            assertThat(request.apiVersion()).isEqualTo((short) 2);
        });
    }

    @Test
    void shouldAnswerCoordinatorNotAvailableWhenTheCoordinatorTakesNoEnvelopes() throws Exception {
        Node owner = startCoordinator(false);

        HandlerResult result = relay.relay(fromClient("consumer-workers-1", "10.1.1.1", (short) 4), owner)
                .get(10, TimeUnit.SECONDS);

        assertThat(heartbeatError(result)).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(seenByCoordinator).isEmpty();
    }

    private Node startCoordinator(boolean unwrapEnvelopes) {
        ApiHandlerRegistry.Builder registry = ApiHandlerRegistry.builder().register(new ApiHandler() {
            @Override
            public ApiKeys apiKey() {
                return ApiKeys.HEARTBEAT;
            }

            @Override
            public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
                seenByCoordinator.add(request);
                return HandlerResult.completed(new HeartbeatResponse(new HeartbeatResponseData()));
            }
        });
        if (unwrapEnvelopes) {
            registry.unwrapEnvelopes();
        }
        coordinator =
                new KafkaProtocolServer(ProtocolServerConfig.of("127.0.0.1", 0).withIoThreads(1), registry.build());
        coordinator.start();
        return new Node(Integer.MAX_VALUE - 1, "127.0.0.1", coordinator.port());
    }

    private static DecodedRequest fromClient(String clientId, String host, short version) throws Exception {
        HeartbeatRequest request = new HeartbeatRequest.Builder(new HeartbeatRequestData()
                        .setGroupId("workers")
                        .setMemberId("m")
                        .setGenerationId(1))
                .build(version);
        return new DecodedRequest(
                new RequestHeader(ApiKeys.HEARTBEAT, version, clientId, 5),
                ApiKeys.HEARTBEAT,
                version,
                request,
                clientId,
                new InetSocketAddress(InetAddress.getByName(host), 40_000),
                "127.0.0.1:9092-10.1.1.1:40000-1",
                0);
    }

    private static Errors heartbeatError(HandlerResult result) {
        assertThat(result).isInstanceOf(HandlerResult.Respond.class);
        return ((HeartbeatResponse) ((HandlerResult.Respond) result).response()).error();
    }
}
