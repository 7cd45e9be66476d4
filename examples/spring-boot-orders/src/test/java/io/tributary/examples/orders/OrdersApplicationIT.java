package io.tributary.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.spring.test.EmbeddedTributary;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The example as its users run it, against a one-broker cluster in the test JVM: an order posted
 * to the application goes through its KafkaTemplate and comes back through its listener, the
 * readiness probe includes the tributary contributor, and the drift endpoint shows the declared
 * topic in sync.
 */
@EmbeddedTributary(brokers = 1)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class OrdersApplicationIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @LocalServerPort
    int port;

    @Test
    void shouldReceiveAnOrderPlacedThroughTheApplication() throws Exception {
        HttpResponse<String> placed = send(HttpRequest.newBuilder(uri("/orders/o-1"))
                .POST(HttpRequest.BodyPublishers.ofString("2 x espresso"))
                .header("Content-Type", "text/plain"));
        assertThat(placed.statusCode()).isEqualTo(202);
        assertThat(placed.body()).contains("\"id\":\"o-1\"").contains("\"offset\":0");

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(get("/orders").body())
                        .contains("\"id\":\"o-1\"")
                        .contains("\"description\":\"2 x espresso\""));
    }

    @Test
    void shouldBeReadyWithTheTributaryContributorAndServeTheDriftReport() throws Exception {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> get("/actuator/health/readiness").statusCode() == 200);
        assertThat(get("/actuator/health/readiness").body())
                .contains("\"tributary\":{")
                // the topic's keys come in no fixed order
                .containsPattern("\"orders\":\\{.*\"isr\":\\[1],\"minIsr\":1,\"status\":\"UP\"")
                .doesNotContain("OUT_OF_SERVICE")
                .contains("\"id\":\"orders\"");
        assertThat(get("/actuator/tributary").body())
                .contains("\"inSync\":true")
                .contains("{\"name\":\"orders\",\"status\":\"IN_SYNC\"");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
