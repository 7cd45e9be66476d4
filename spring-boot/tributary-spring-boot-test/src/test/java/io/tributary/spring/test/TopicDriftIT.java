package io.tributary.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.spring.autoconfigure.discovery.TributaryKafkaConnectionDetails;
import io.tributary.spring.test.app.DemoApplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.annotation.DirtiesContext;

/**
 * An application on the starter against a real one-broker cluster: it finds the broker through
 * ZooKeeper (its spring.kafka.bootstrap-servers points nowhere), creates its declared topic,
 * produces and consumes through Boot's template and listener, and sees a change made out of band
 * in its drift report.
 */
@EmbeddedTributary(brokers = 1)
@SpringBootTest(
        classes = DemoApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tributary.discovery.zookeeper.connect-string=${tributary.embedded.zookeeper-connect}",
            // nothing listens there: every client must bootstrap from the discovered brokers
            "spring.kafka.bootstrap-servers=localhost:1",
            "spring.kafka.consumer.group-id=demo",
            "spring.kafka.consumer.auto-offset-reset=earliest",
            "tributary.topics.orders.partitions=2",
            "tributary.topics.orders.configs.retention.ms=3600000",
            "management.endpoints.web.exposure.include=health,tributary",
            "management.endpoint.health.show-details=always",
            "tributary.health.interval=1s"
        })
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopicDriftIT extends EmbeddedSupport {

    @Autowired
    KafkaConnectionDetails connectionDetails;

    @Autowired
    KafkaTemplate<String, String> template;

    @Autowired
    BlockingQueue<String> received;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    @Test
    @Order(1)
    void shouldBootstrapFromTheBrokersRegisteredInZookeeper(EmbeddedTributaryCluster cluster) {
        assertThat(connectionDetails).isInstanceOf(TributaryKafkaConnectionDetails.class);
        assertThat(String.join(",", connectionDetails.getBootstrapServers())).isEqualTo(cluster.bootstrapServers());
    }

    @Test
    @Order(2)
    void shouldCreateTheDeclaredTopicAtStartup(EmbeddedTributaryCluster cluster) throws Exception {
        try (Admin admin = admin(cluster)) {
            TopicDescription orders = admin.describeTopics(List.of("orders"))
                    .allTopicNames()
                    .get()
                    .get("orders");
            assertThat(orders.partitions()).hasSize(2);
            assertThat(topicConfig(admin, "orders", "retention.ms")).isEqualTo("3600000");
        }
        String report = get(port, "/actuator/tributary").body();
        assertThat(report).contains("\"inSync\":true").contains("\"status\":\"IN_SYNC\"");
    }

    @Test
    @Order(3)
    void shouldProduceAndConsumeThroughBootsTemplateAndListener() throws Exception {
        template.send("orders", "k", "first order").get(30, TimeUnit.SECONDS);
        assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo("first order");
    }

    @Test
    @Order(4)
    void shouldReportDriftMadeOutOfBand(EmbeddedTributaryCluster cluster) throws Exception {
        try (Admin admin = admin(cluster)) {
            admin.createPartitions(Map.of("orders", NewPartitions.increaseTo(3)))
                    .all()
                    .get();
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.TOPIC, "orders"),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String report = get(port, "/actuator/tributary").body();
            assertThat(report)
                    .contains("\"inSync\":false")
                    .contains("\"status\":\"UNSUPPORTED\"")
                    .contains(
                            "{\"kind\":\"PARTITIONS_HIGHER\",\"classification\":\"UNSUPPORTED\",\"key\":null,\"declared\":\"2\",\"actual\":\"3\"}")
                    .contains(
                            "{\"kind\":\"CONFIG\",\"classification\":\"SAFE_TO_RECONCILE\",\"key\":\"retention.ms\",\"declared\":\"3600000\",\"actual\":\"1000\"}");
        });
        assertThat(meters.get("tributary.topic.drift")
                        .tags("topic", "orders", "kind", "partitions_higher")
                        .gauge()
                        .value())
                .isEqualTo(1.0);
        assertThat(meters.get("tributary.topic.drift")
                        .tags("topic", "orders", "kind", "replication_factor")
                        .gauge()
                        .value())
                .isEqualTo(0.0);
    }

    @Test
    @Order(5)
    void shouldBeReadyWithTheTributaryContributorInReadinessOnly() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get(port, "/actuator/health/readiness").statusCode() == 200);
        assertThat(get(port, "/actuator/health/readiness").body())
                .contains("\"tributary\":{")
                .contains("\"brokers\":1")
                .contains("\"minIsr\":1");
        assertThat(get(port, "/actuator/health/liveness").body()).doesNotContain("tributary");
    }
}
