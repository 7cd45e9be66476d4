package io.tributary.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Auto-creation through a real (JDK) HTTP server standing in for metadata-service. */
class AutoTopicCreatorTest {

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private HttpServer server;
    private MetadataServiceClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"errorCode\":36,\"error\":\"TOPIC_ALREADY_EXISTS\",\"detail\":\"exists\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(409, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        client = new MetadataServiceClient(() -> List.of(uri));
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void shouldCreateOncePerTopicWhileACreationIsUnderWay() {
        AutoTopicCreator creator = new AutoTopicCreator(client, true);

        assertThat(creator.maybeCreate("events", true)).isTrue();
        assertThat(creator.maybeCreate("events", true)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        assertThat(creator.maybeCreate("events", true)).isTrue();
        assertThat(received)
                .singleElement()
                .asString()
                .contains("\"name\":\"events\"")
                .contains("\"partitions\":-1")
                .contains("\"replicationFactor\":-1");

        release.countDown();
        // once the first creation has finished (here: someone else was first), another may start
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            creator.maybeCreate("events", true);
            return received.size() == 2;
        });
    }

    @Test
    void shouldNotCreateWhenDisabledRefusedByTheClientOrInternal() throws Exception {
        AutoTopicCreator disabled = new AutoTopicCreator(client, false);
        AutoTopicCreator enabled = new AutoTopicCreator(client, true);

        assertThat(disabled.maybeCreate("events", true)).isFalse();
        assertThat(enabled.maybeCreate("events", false)).isFalse();
        assertThat(enabled.maybeCreate("__consumer_offsets", true)).isFalse();
        assertThat(enabled.maybeCreate("bad name", true)).isFalse();
        Thread.sleep(200);
        assertThat(received).isEmpty();
    }
}
