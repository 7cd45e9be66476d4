package io.tributary.spring.test.testcontainers;

import java.util.List;
import org.testcontainers.containers.GenericContainer;

/**
 * One Tributary broker in a container, with what it needs (ZooKeeper, a metadata-service and a
 * group-coordinator, each in its own container, started before it): a real one-broker cluster
 * from Tributary's images for a {@code @Testcontainers} test. With {@code @ServiceConnection}
 * Spring Boot's Kafka clients bootstrap from it:
 *
 * <pre>{@code
 * @Container
 * @ServiceConnection
 * static TributaryContainer tributary = new TributaryContainer();
 * }</pre>
 *
 * Several brokers: {@link TributaryCluster}, whose {@link TributaryCluster#broker} containers are
 * of this class and name every broker of their cluster in {@link #bootstrapServers}. The images
 * are {@link TributaryImages#defaults()} unless given. The containers use the host's network (see
 * {@link ClusterServices}): a Linux Docker engine. Not thread-safe: configure, then start.
 */
public class TributaryContainer extends GenericContainer<TributaryContainer> {

    private final ClusterServices services;
    private final boolean ownsServices;
    private final int brokerId;
    private final int httpPort = ClusterServices.freePort();
    private final int kafkaPort = ClusterServices.freePort();

    /** A one-broker cluster of the default images. */
    public TributaryContainer() {
        this(TributaryImages.defaults());
    }

    /** A one-broker cluster of the given images. */
    public TributaryContainer(TributaryImages images) {
        this(new ClusterServices(images), 1, true);
    }

    TributaryContainer(ClusterServices services, int brokerId, boolean ownsServices) {
        super(services.images().broker());
        this.services = services;
        this.ownsServices = ownsServices;
        this.brokerId = brokerId;
        withNetworkMode("host");
        withEnv("SERVER_PORT", Integer.toString(httpPort));
        withEnv("TRIBUTARY_ZOOKEEPER_CONNECT", services.zookeeperConnect());
        withEnv("TRIBUTARY_BROKER_ID", Integer.toString(brokerId));
        withEnv("TRIBUTARY_BROKER_HOST", "localhost");
        withEnv("TRIBUTARY_BROKER_KAFKA_PORT", Integer.toString(kafkaPort));
        withEnv("JAVA_TOOL_OPTIONS", ClusterServices.SERVICE_HEAP);
        dependsOn(services.zookeeper(), services.metadataService(), services.groupCoordinator());
        waitingFor(new ReadinessWaitStrategy(httpPort));
        services.add(this);
    }

    /** {@code localhost:<kafka port>} of every broker of this broker's cluster. */
    public List<String> bootstrapServers() {
        return services.bootstrapServers();
    }

    /** The cluster's ZooKeeper, for {@code tributary.discovery.zookeeper.connect-string}. */
    public String zookeeperConnect() {
        return services.zookeeperConnect();
    }

    public int getBrokerId() {
        return brokerId;
    }

    public int getKafkaPort() {
        return kafkaPort;
    }

    public int getHttpPort() {
        return httpPort;
    }

    /** Stops the broker, and with a container made on its own also ZooKeeper and the other services. */
    @Override
    public void stop() {
        super.stop();
        if (ownsServices) {
            services.stop();
        }
    }
}
