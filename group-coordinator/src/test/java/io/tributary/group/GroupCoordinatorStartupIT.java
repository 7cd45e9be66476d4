package io.tributary.group;

import io.tributary.common.testing.ServiceStartupContract;
import io.tributary.common.testing.ZookeeperExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The group-coordinator started on a real ZooKeeper: discovery, health, and its loss. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.cloud.zookeeper.max-retries=1")
@DirtiesContext
class GroupCoordinatorStartupIT extends ServiceStartupContract {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    private static final Path DATA_DIR = tempDir();

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("group-coordinator-startup-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void zookeeper(DynamicPropertyRegistry registry) {
        registry.add("tributary.zookeeper.connect", ZOOKEEPER::connectString);
        // a fresh H2 file and a free Kafka-protocol port, never the defaults of a real instance
        registry.add("tributary.group.data-dir", () -> DATA_DIR.toString());
        registry.add("tributary.group.kafka-port", () -> "0");
    }

    @Override
    protected String serviceName() {
        return "group-coordinator";
    }

    @Override
    protected TestingServer zookeeper() {
        return ZOOKEEPER.server();
    }
}
