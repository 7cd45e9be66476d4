package io.tributary.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tributary.broker.admin.MetadataServiceBodies.NewTopic;
import io.tributary.broker.admin.MetadataServiceBodies.TopicConfigEntry;
import io.tributary.broker.admin.MetadataServiceBodies.TopicDescription;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The REST client against a real (JDK) HTTP server standing in for metadata-service: answers,
 * problem details mapped back to Kafka errors, fail-over and timeouts.
 */
class MetadataServiceClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private MetadataServiceClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void shouldCreateTopicAndReadTheDescription() throws Exception {
        URI server = serve(201, "application/json", """
                {"name":"orders","topicId":"5f1c9a8e-0000-4000-8000-000000000001",
                 "partitions":[{"partition":0,"replicas":[1,2],"leader":1,"leaderEpoch":0,"isr":[1,2]},
                               {"partition":1,"replicas":[2,3],"leader":2,"leaderEpoch":0,"isr":[2,3]}],
                 "configs":{"retention.ms":"1000"},"somethingNew":true}""");
        client = new MetadataServiceClient(() -> List.of(server));

        TopicDescription created = client.createTopic(
                        new NewTopic("orders", 2, 2, null, Map.of("retention.ms", "1000"), false), TIMEOUT)
                .get(5, TimeUnit.SECONDS);

        assertThat(created.partitionCount()).isEqualTo(2);
        assertThat(created.replicationFactor()).isEqualTo(2);
        assertThat(created.topicId()).hasToString("5f1c9a8e-0000-4000-8000-000000000001");
        assertThat(created.configs()).containsEntry("retention.ms", "1000");
        assertThat(received)
                .singleElement()
                .asString()
                .startsWith("POST /api/topics ")
                .contains("\"name\":\"orders\"")
                .contains("\"replicationFactor\":2");
    }

    @Test
    void shouldMapProblemDetailsToKafkaErrors() throws Exception {
        assertThat(failureFor(409, problem(36, "TOPIC_ALREADY_EXISTS", "Topic 'orders' already exists.")))
                .isInstanceOf(TopicExistsException.class)
                .hasMessage("Topic 'orders' already exists.");
        assertThat(failureFor(400, problem(38, "INVALID_REPLICATION_FACTOR", "Replication factor: 4 larger")))
                .isInstanceOf(InvalidReplicationFactorException.class);
        assertThat(failureFor(400, problem(40, "INVALID_CONFIG", "Unknown topic config name: x")))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThat(failureFor(404, problem(3, "UNKNOWN_TOPIC_OR_PARTITION", "Topic 'x' does not exist.")))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void shouldFallBackOnTheStatusWhenTheAnswerIsNoProblem() throws Exception {
        assertThat(failureFor(500, "<html>oops</html>")).isInstanceOf(UnknownServerException.class);
        assertThat(failureFor(400, "")).isInstanceOf(InvalidRequestException.class);
        assertThat(failureFor(503, "")).isInstanceOf(NotControllerException.class);
        assertThat(failureFor(403, "")).isInstanceOf(ClusterAuthorizationException.class);
    }

    @Test
    void shouldLogInWithItsCredentialsAndTreatARefusedLoginAsClusterAuthorizationFailed() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            respond(exchange, 401, null, "");
        });
        server.start();
        servers.add(server);
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        client = new MetadataServiceClient(() -> List.of(uri), Optional.of("Basic YWRtaW46c2VjcmV0"));

        assertThat(failureOf(client.deleteTopic("orders", TIMEOUT))).isInstanceOf(ClusterAuthorizationException.class);
        assertThat(authorizations).containsExactly("Basic YWRtaW46c2VjcmV0");
    }

    @Test
    void shouldTryTheNextInstanceWhenOneRefusesTheConnection() throws Exception {
        URI dead = URI.create("http://127.0.0.1:" + unusedPort());
        URI live = serve(200, "application/json", """
                {"topic":"orders","configs":[{"name":"retention.ms","value":"1","source":"TOPIC","type":"LONG"}]}""");
        client = new MetadataServiceClient(() -> List.of(dead, live));

        for (int call = 0; call < 2; call++) {
            List<TopicConfigEntry> configs =
                    client.topicConfigs("orders", TIMEOUT).get(5, TimeUnit.SECONDS);
            assertThat(configs).singleElement().satisfies(entry -> {
                assertThat(entry.isOverride()).isTrue();
                assertThat(entry.value()).isEqualTo("1");
            });
        }
        assertThat(received)
                .hasSize(2)
                .allSatisfy(request -> assertThat(request).startsWith("GET /api/topics/orders/configs"));
    }

    @Test
    void shouldAnswerNotControllerWhenNoInstanceIsRegisteredOrReachable() throws Exception {
        client = new MetadataServiceClient(List::of);
        assertThat(failureOf(client.deleteTopic("orders", TIMEOUT)))
                .isInstanceOf(NotControllerException.class)
                .hasMessageContaining("No metadata-service instance");
        client.close();

        client = new MetadataServiceClient(() -> {
            throw new IllegalStateException("ZooKeeper is away");
        });
        assertThat(failureOf(client.deleteTopic("orders", TIMEOUT))).isInstanceOf(NotControllerException.class);
        client.close();

        URI dead = URI.create("http://127.0.0.1:" + unusedPort());
        client = new MetadataServiceClient(() -> List.of(dead));
        assertThat(failureOf(client.deleteTopic("orders", TIMEOUT)))
                .isInstanceOf(NotControllerException.class)
                .hasMessageContaining("No metadata-service instance reachable");
    }

    @Test
    void shouldTimeOutWhenTheServiceDoesNotAnswer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 204, null, "");
        });
        server.start();
        servers.add(server);
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        client = new MetadataServiceClient(() -> List.of(uri));

        assertThat(failureOf(client.deleteTopic("orders", Duration.ofMillis(300))))
                .isInstanceOf(TimeoutException.class);
    }

    @Test
    void shouldTimeOutWhenFindingTheInstancesHangs() throws Exception {
        client = new MetadataServiceClient(
                () -> {
                    Thread.sleep(5_000);
                    return List.of();
                },
                Duration.ofMillis(200));

        assertThat(failureOf(client.topicConfigs("orders", Duration.ofMillis(100))))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("within 300 ms");
    }

    @Test
    void shouldRefuseInvalidTopicNamesWithoutACall() throws Exception {
        URI server = serve(204, null, "");
        client = new MetadataServiceClient(() -> List.of(server));

        assertThat(failureOf(client.topicConfigs("bad name/../x", TIMEOUT))).isInstanceOf(InvalidTopicException.class);
        assertThat(failureOf(client.deleteTopic(null, TIMEOUT))).isInstanceOf(InvalidTopicException.class);
        assertThat(received).isEmpty();
    }

    // ---------------------------------------------------------------------------------------

    private Throwable failureFor(int status, String body) throws Exception {
        URI server = serve(status, "application/problem+json", body);
        try (MetadataServiceClient once = new MetadataServiceClient(() -> List.of(server))) {
            return failureOf(once.createTopic(new NewTopic("orders", 1, 1, null, null, false), TIMEOUT));
        }
    }

    private static String problem(int code, String name, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"" + name + "\",\"status\":400,\"detail\":\"" + detail
                + "\",\"errorCode\":" + code + ",\"error\":\"" + name + "\"}";
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ApiException.class);
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    private URI serve(int status, String contentType, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + requestBody);
            respond(exchange, status, contentType, body);
        });
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().add("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
