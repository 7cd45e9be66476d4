package io.tributary.spring.test.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.spring.test.app.DemoApplication;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.kafka.core.KafkaTemplate;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * An application against a one-broker cluster of Tributary's images, connected by
 * {@code @ServiceConnection}. Needs a Linux Docker engine with the images loaded
 * ({@code mvn -Pimages -DskipTests package}, {@code docker load -i …/jib-image.tar}); tagged
 * {@code docker}, left out of the default build and skipped where there is no engine.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(
        classes = DemoApplication.class,
        properties = {
            "spring.kafka.consumer.group-id=containers",
            "spring.kafka.consumer.auto-offset-reset=earliest",
            "tributary.topics.orders.partitions=1",
            "spring.cloud.zookeeper.enabled=false"
        })
class TributaryContainerIT {

    @Container
    @ServiceConnection
    static TributaryContainer tributary = new TributaryContainer();

    @Autowired
    KafkaConnectionDetails connectionDetails;

    @Autowired
    KafkaTemplate<String, String> template;

    @Autowired
    BlockingQueue<String> received;

    @Test
    void shouldProduceAndConsumeThroughTheContainersBroker() throws Exception {
        assertThat(connectionDetails.getBootstrapServers()).isEqualTo(tributary.bootstrapServers());
        template.send("orders", "k", "from a container").get(60, TimeUnit.SECONDS);
        assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo("from a container");
    }
}
