package io.tributary.metadata;

import io.tributary.common.testing.ServiceStartupContract;
import io.tributary.common.testing.ZookeeperExtension;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The metadata-service started on a real ZooKeeper: discovery, health, and its loss. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.cloud.zookeeper.max-retries=1")
@DirtiesContext
class MetadataServiceStartupIT extends ServiceStartupContract {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    @DynamicPropertySource
    static void zookeeper(DynamicPropertyRegistry registry) {
        registry.add("tributary.zookeeper.connect", ZOOKEEPER::connectString);
    }

    @Override
    protected String serviceName() {
        return "metadata-service";
    }

    @Override
    protected TestingServer zookeeper() {
        return ZOOKEEPER.server();
    }
}
