package io.tributary.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.spring.test.app.DemoApplication;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Readiness means "can write with acks=all": with a declared topic of two replicas and
 * min.insync.replicas=2, stopping one of the two brokers takes readiness out of UP (liveness stays
 * UP), and starting it again brings readiness back.
 */
@EmbeddedTributary(
        brokers = 2,
        brokerProperties = {"tributary.broker.replica-lag-time-max=3s"})
@SpringBootTest(
        classes = DemoApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tributary.discovery.zookeeper.connect-string=${tributary.embedded.zookeeper-connect}",
            "demo.listener.enabled=false",
            "tributary.topics.payments.partitions=2",
            // the listener (not started here) subscribes to orders, which health watches too
            "tributary.topics.orders.replication-factor=2",
            "tributary.topics.payments.replication-factor=2",
            "tributary.topics.payments.configs.min.insync.replicas=2",
            "management.endpoint.health.show-details=always",
            "tributary.health.interval=500ms",
            "tributary.health.timeout=2s"
        })
@DirtiesContext
class ReadinessIT extends EmbeddedSupport {

    @LocalServerPort
    int port;

    @Test
    void shouldLeaveReadinessWhileTheIsrIsBelowMinInsyncReplicasAndComeBack(EmbeddedTributaryCluster cluster) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(readiness())
                        .as("readiness")
                        .extracting(HttpResponse::body)
                        .asString()
                        .contains("\"status\":\"UP\"")
                        .doesNotContain("OUT_OF_SERVICE", "DOWN"));
        assertThat(readiness().body()).contains("\"payments\":{").contains("\"minIsr\":2");

        cluster.stopBroker(2);

        // on the way there it may first see the stopped broker's partition without a leader
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> degraded = readiness();
            assertThat(degraded.statusCode()).isEqualTo(503);
            assertThat(degraded.body())
                    .contains("\"payments\":{")
                    .contains("\"isr\":[1],\"minIsr\":2,\"status\":\"OUT_OF_SERVICE\"")
                    .contains("\"brokers\":1");
        });
        assertThat(get(port, "/actuator/health/liveness").statusCode()).isEqualTo(200);

        cluster.startBroker(2);

        await().atMost(Duration.ofSeconds(90)).until(() -> readiness().statusCode() == 200);
        assertThat(readiness().body()).doesNotContain("OUT_OF_SERVICE").contains("\"brokers\":2");
    }

    private HttpResponse<String> readiness() {
        return get(port, "/actuator/health/readiness");
    }
}
