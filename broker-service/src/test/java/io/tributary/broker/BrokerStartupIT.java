package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.cluster.BrokerIdInUseException;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.testing.ServiceStartupContract;
import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A broker started on a real ZooKeeper: its id registration, discovery, health and their loss. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tributary.broker.id=7", "tributary.broker.kafka-port=0", "spring.cloud.zookeeper.max-retries=1"})
@DirtiesContext
class BrokerStartupIT extends ServiceStartupContract {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    @DynamicPropertySource
    static void zookeeper(DynamicPropertyRegistry registry) {
        registry.add("tributary.zookeeper.connect", ZOOKEEPER::connectString);
        registry.add("tributary.broker.log-dirs", () -> tempDir("broker-7"));
    }

    private static String tempDir(String prefix) {
        try {
            return java.nio.file.Files.createTempDirectory(prefix).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Autowired
    DiscoveryClient discovery;

    @Autowired
    KafkaProtocolServer kafkaServer;

    @Override
    protected String serviceName() {
        return "broker";
    }

    @Override
    protected TestingServer zookeeper() {
        return ZOOKEEPER.server();
    }

    @Test
    @Order(2)
    void shouldRegisterBrokerIdWithItsPorts() throws Exception {
        BrokerRegistration registration =
                ZkJson.fromBytes(curator.getData().forPath(ZkPaths.broker(7)), BrokerRegistration.class);

        assertThat(registration.id()).isEqualTo(7);
        assertThat(registration.kafkaPort()).isEqualTo(kafkaServer.port()).isPositive();
        assertThat(registration.httpPort()).isEqualTo(httpPort);
        assertThat(discovery.getInstances("broker"))
                .singleElement()
                .satisfies(instance -> assertThat(instance.getPort()).isEqualTo(httpPort));
    }

    @Test
    @Order(3)
    void shouldRefuseSecondBrokerWithLiveBrokersId() {
        SpringApplicationBuilder duplicate = new SpringApplicationBuilder(BrokerApplication.class);

        assertThatThrownBy(() -> duplicate.run(
                        "--server.port=0",
                        "--tributary.broker.id=7",
                        "--tributary.broker.kafka-port=0",
                        "--tributary.broker.log-dirs=" + tempDir("broker-7-duplicate"),
                        "--tributary.broker.registration-wait=500ms",
                        "--tributary.zookeeper.connect=" + ZOOKEEPER.connectString(),
                        "--spring.cloud.zookeeper.discovery.register=false"))
                .hasRootCauseInstanceOf(BrokerIdInUseException.class)
                .rootCause()
                .hasMessageContaining("Broker id 7 is already registered by a live broker");
    }
}
