package io.tributary.spring.test.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * What every broker of one cluster shares: the ZooKeeper, metadata-service and group-coordinator
 * containers, and the list of brokers (so each broker can name all of them to a client). Every
 * container runs in the host's network on free ports chosen here, so that the address a broker
 * registers ({@code localhost:<kafka port>}) is the same for the test's clients and for the
 * other brokers that replicate from it: the images have one listener and no shell to learn a
 * mapped port with. Host networking needs a Linux Docker engine.
 */
final class ClusterServices {

    /** Heap of each service JVM, small enough for several on a laptop. */
    static final String SERVICE_HEAP = "-Xmx256m";

    private final TributaryImages images;
    private final int zookeeperPort = freePort();
    private final GenericContainer<?> zookeeper;
    private final GenericContainer<?> metadataService;
    private final GenericContainer<?> groupCoordinator;
    private final List<TributaryContainer> brokers = new CopyOnWriteArrayList<>();

    ClusterServices(TributaryImages images) {
        this.images = images;
        this.zookeeper = new GenericContainer<>(images.zookeeper())
                .withNetworkMode("host")
                .withEnv("ZOO_CLIENT_PORT", Integer.toString(zookeeperPort))
                .withEnv("JAVA_TOOL_OPTIONS", "-Xmx128m")
                .waitingFor(Wait.forLogMessage(".*binding to port.*\\n", 1));
        int metadataHttpPort = freePort();
        this.metadataService = service(images.metadataService(), metadataHttpPort)
                .withEnv("TRIBUTARY_METADATA_HOST", "localhost")
                .dependsOn(zookeeper);
        int coordinatorHttpPort = freePort();
        this.groupCoordinator = service(images.groupCoordinator(), coordinatorHttpPort)
                .withEnv("TRIBUTARY_GROUP_HOST", "localhost")
                .withEnv("TRIBUTARY_GROUP_KAFKA_PORT", Integer.toString(freePort()))
                .withEnv("TRIBUTARY_GROUP_INITIAL_REBALANCE_DELAY", "0s")
                .dependsOn(zookeeper);
    }

    /** A Spring Boot service of the cluster, configured the way docs/deploy.md describes. */
    GenericContainer<?> service(org.testcontainers.utility.DockerImageName image, int httpPort) {
        return new GenericContainer<>(image)
                .withNetworkMode("host")
                .withEnv("SERVER_PORT", Integer.toString(httpPort))
                .withEnv("TRIBUTARY_ZOOKEEPER_CONNECT", zookeeperConnect())
                .withEnv("JAVA_TOOL_OPTIONS", SERVICE_HEAP)
                .waitingFor(new ReadinessWaitStrategy(httpPort));
    }

    TributaryImages images() {
        return images;
    }

    String zookeeperConnect() {
        return "localhost:" + zookeeperPort;
    }

    GenericContainer<?> zookeeper() {
        return zookeeper;
    }

    GenericContainer<?> metadataService() {
        return metadataService;
    }

    GenericContainer<?> groupCoordinator() {
        return groupCoordinator;
    }

    void add(TributaryContainer broker) {
        brokers.add(broker);
    }

    List<TributaryContainer> brokers() {
        return List.copyOf(brokers);
    }

    List<String> bootstrapServers() {
        return brokers.stream().map(b -> "localhost:" + b.getKafkaPort()).collect(Collectors.toList());
    }

    /** Stops the shared services, after the brokers. */
    void stop() {
        groupCoordinator.stop();
        metadataService.stop();
        zookeeper.stop();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
