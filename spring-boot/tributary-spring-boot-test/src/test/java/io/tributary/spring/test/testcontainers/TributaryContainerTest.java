package io.tributary.spring.test.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** What can be checked without a Docker engine: nothing here starts a container. */
class TributaryContainerTest {

    @Test
    void shouldNameTheImagesTheBuildMakesWithThisVersionAsTag() {
        TributaryImages images = TributaryImages.defaults();
        String tag = TributaryImages.defaultTag();
        assertThat(tag).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(images.broker().asCanonicalNameString()).isEqualTo("tributary/broker-service:" + tag);
        assertThat(images.zookeeper().asCanonicalNameString()).isEqualTo("tributary/zookeeper:" + tag);
        assertThat(images.metadataService().asCanonicalNameString()).isEqualTo("tributary/metadata-service:" + tag);
        assertThat(images.groupCoordinator().asCanonicalNameString()).isEqualTo("tributary/group-coordinator:" + tag);
        assertThat(images.withRepository("registry.example.com/tributary")
                        .broker()
                        .asCanonicalNameString())
                .isEqualTo("registry.example.com/tributary/broker-service:" + tag);
        assertThat(images.withTag("1.2.3").zookeeper().asCanonicalNameString()).isEqualTo("tributary/zookeeper:1.2.3");
    }

    @Test
    void shouldConfigureEachBrokerWithItsIdPortsAndTheClustersZookeeper() {
        TributaryCluster cluster = new TributaryCluster(2, TributaryImages.of("example", "9.9.9"));
        TributaryContainer first = cluster.broker(1);
        TributaryContainer second = cluster.broker(2);

        assertThat(first.getNetworkMode()).isEqualTo("host");
        assertThat(first.getEnvMap())
                .containsEntry("TRIBUTARY_BROKER_ID", "1")
                .containsEntry("TRIBUTARY_BROKER_HOST", "localhost")
                .containsEntry("TRIBUTARY_BROKER_KAFKA_PORT", Integer.toString(first.getKafkaPort()))
                .containsEntry("SERVER_PORT", Integer.toString(first.getHttpPort()))
                .containsEntry("TRIBUTARY_ZOOKEEPER_CONNECT", cluster.zookeeperConnect());
        assertThat(second.getEnvMap()).containsEntry("TRIBUTARY_BROKER_ID", "2");
        assertThat(second.getKafkaPort()).isNotEqualTo(first.getKafkaPort());
        // ZooKeeper, metadata-service and group-coordinator start before each broker
        assertThat(first.getDependencies()).hasSize(3).isEqualTo(second.getDependencies());
    }

    @Test
    void shouldNameEveryBrokerOfTheClusterToAClient() {
        TributaryCluster cluster = new TributaryCluster(3, TributaryImages.of("example", "9.9.9"));
        assertThat(cluster.broker(2).bootstrapServers())
                .containsExactly(
                        "localhost:" + cluster.broker(1).getKafkaPort(),
                        "localhost:" + cluster.broker(2).getKafkaPort(),
                        "localhost:" + cluster.broker(3).getKafkaPort())
                .isEqualTo(cluster.bootstrapServers());
        assertThat(new TributaryContainer(TributaryImages.of("example", "9.9.9")).bootstrapServers())
                .hasSize(1);
        assertThatThrownBy(() -> cluster.broker(4)).hasMessageContaining("no broker 4");
    }

    @Test
    void shouldRegisterTheServiceConnectionFactoryForBootsKafkaClients() {
        // other factories on this classpath need what it lacks (Docker Compose support): skip those
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
                        .load(ConnectionDetailsFactory.class, (type, name, failure) -> {}))
                .hasAtLeastOneElementOfType(TributaryContainerConnectionDetailsFactory.class);
    }
}
