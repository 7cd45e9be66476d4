package io.tributary.spring.test;

import io.tributary.broker.BrokerApplication;
import io.tributary.group.GroupCoordinatorApplication;
import io.tributary.metadata.MetadataServiceApplication;
import io.tributary.spring.test.internal.ReadinessProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.curator.test.TestingServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A small real Tributary cluster inside the test JVM: a ZooKeeper server (curator-test's
 * {@link TestingServer}), one metadata-service, N brokers and optionally a group-coordinator,
 * each the service's own Spring Boot application started with {@link SpringApplicationBuilder}
 * on free ports with small settings and data under a temporary directory.
 *
 * <p>The services share the test's classpath, so each context is started with its own jar's
 * {@code application.yml} as its only config location (the application's test configuration is
 * never read by them), the other services' database and Kafka-client auto-configurations
 * excluded, and every setting that matters as a command-line argument, which outranks the system
 * properties {@link EmbeddedTributaryExtension} sets for the application under test.
 *
 * <p>Brokers can be stopped and started again with the same id, port and log directory, to test
 * what an application sees when the cluster degrades. Not thread-safe: drive it from the test.
 */
public final class EmbeddedTributaryCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /** Database and client auto-configurations a service must not pick up from the others' classpath. */
    private static final List<String> FOREIGN = List.of(
            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
            "io.tributary.spring.autoconfigure.discovery.TributaryDiscoveryAutoConfiguration",
            "io.tributary.spring.autoconfigure.topics.TributaryTopicsAutoConfiguration",
            "io.tributary.spring.autoconfigure.health.TributaryHealthAutoConfiguration",
            "io.tributary.spring.autoconfigure.metrics.TributaryMetricsAutoConfiguration");

    private static final List<String> DATABASE = List.of(
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration");

    private final int brokerCount;
    private final boolean groupCoordinator;
    private final List<String> brokerProperties;
    private final Path dataDir;
    private final Map<Integer, Integer> brokerPorts = new TreeMap<>();
    private final Map<Integer, ConfigurableApplicationContext> brokers = new TreeMap<>();
    private TestingServer zookeeper;
    private ConfigurableApplicationContext metadataService;
    private ConfigurableApplicationContext coordinator;

    /**
     * @param brokers          how many brokers (ids 1..N)
     * @param groupCoordinator whether to start a group-coordinator (needed for consumer groups)
     * @param brokerProperties extra {@code key=value} settings for every broker
     */
    public EmbeddedTributaryCluster(int brokers, boolean groupCoordinator, List<String> brokerProperties) {
        if (brokers < 1) {
            throw new IllegalArgumentException("an embedded cluster needs at least one broker, not " + brokers);
        }
        this.brokerCount = brokers;
        this.groupCoordinator = groupCoordinator;
        this.brokerProperties = List.copyOf(brokerProperties);
        try {
            this.dataDir = Files.createTempDirectory("embedded-tributary");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts everything and waits until every service reports ready. */
    public EmbeddedTributaryCluster start() {
        try {
            zookeeper = new TestingServer(true);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded ZooKeeper", e);
        }
        try {
            metadataService = run(
                    MetadataServiceApplication.class,
                    DATABASE,
                    "--tributary.metadata.instance-id=embedded-metadata",
                    "--tributary.metadata.leader-imbalance-check-interval=5s");
            for (int id = 1; id <= brokerCount; id++) {
                brokerPorts.put(id, freePort());
                startBroker(id);
            }
            if (groupCoordinator) {
                coordinator = run(
                        GroupCoordinatorApplication.class,
                        List.of(),
                        "--tributary.group.kafka-port=0",
                        "--tributary.group.data-dir=" + dataDir.resolve("group-coordinator"),
                        "--tributary.group.initial-rebalance-delay=100ms",
                        "--spring.cloud.zookeeper.discovery.instance-id=embedded-group-coordinator");
            }
            awaitReady(metadataService);
            brokers.values().forEach(EmbeddedTributaryCluster::awaitReady);
            if (coordinator != null) {
                awaitReady(coordinator);
            }
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts broker {@code id} (again, after {@link #stopBroker}) with its port and log directory. */
    public void startBroker(int id) {
        Integer port = brokerPorts.get(id);
        if (port == null) {
            throw new IllegalArgumentException("no broker " + id + " in this cluster");
        }
        if (brokers.containsKey(id)) {
            throw new IllegalStateException("broker " + id + " is running");
        }
        List<String> args = new ArrayList<>(List.of(
                "--tributary.broker.id=" + id,
                "--tributary.broker.kafka-port=" + port,
                "--tributary.broker.log-dirs=" + dataDir.resolve("broker-" + id),
                "--tributary.broker.io-threads=1",
                "--tributary.broker.registration-wait=15s",
                "--spring.cloud.zookeeper.discovery.instance-id=embedded-broker-" + id));
        brokerProperties.forEach(p -> args.add("--" + p));
        ConfigurableApplicationContext broker = run(BrokerApplication.class, DATABASE, args.toArray(String[]::new));
        brokers.put(id, broker);
    }

    /** Stops broker {@code id} cleanly; its registration disappears at once. */
    public void stopBroker(int id) {
        ConfigurableApplicationContext broker = brokers.remove(id);
        if (broker == null) {
            throw new IllegalStateException("broker " + id + " is not running");
        }
        broker.close();
    }

    private ConfigurableApplicationContext run(Class<?> application, List<String> excluded, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.config.location=" + ownConfig(application),
                "--spring.main.banner-mode=off",
                "--server.port=0",
                "--tributary.zookeeper.connect=" + zookeeper.getConnectString(),
                "--spring.cloud.zookeeper.enabled=true",
                "--spring.cloud.zookeeper.connect-string=" + zookeeper.getConnectString(),
                "--spring.cloud.zookeeper.discovery.register=true",
                "--spring.cloud.zookeeper.max-retries=3",
                "--tributary.health.enabled=false",
                "--logging.level.root=WARN",
                "--logging.level.io.tributary=WARN",
                "--spring.autoconfigure.exclude="
                        + Stream.concat(FOREIGN.stream(), excluded.stream()).collect(Collectors.joining(","))));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(application).run(args.toArray(String[]::new));
    }

    /** The {@code application.yml} inside the service's own jar (or classes directory). */
    private static String ownConfig(Class<?> application) {
        URL location = application.getProtectionDomain().getCodeSource().getLocation();
        String url = location.toString();
        if (url.endsWith(".jar")) {
            return "jar:" + url + "!/application.yml";
        }
        return url + (url.endsWith("/") ? "" : "/") + "application.yml";
    }

    private static void awaitReady(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        try {
            ReadinessProbe.awaitReady(port, READY_TIMEOUT, context::isActive);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(context.getId() + ": " + e.getMessage(), e);
        }
    }

    /** {@code host:port,…} of the running brokers. */
    public String bootstrapServers() {
        return brokers.keySet().stream()
                .map(id -> "localhost:" + brokerPorts.get(id))
                .collect(Collectors.joining(","));
    }

    /** The ZooKeeper connect string (the cluster's znodes are under the chroot {@code /tributary}). */
    public String zookeeperConnect() {
        return zookeeper.getConnectString();
    }

    /** The ids of the running brokers. */
    public List<Integer> runningBrokers() {
        return List.copyOf(brokers.keySet());
    }

    /** The metadata-service's HTTP base URL (REST API under {@code /api}). */
    public String metadataServiceUrl() {
        return "http://localhost:"
                + ((WebServerApplicationContext) metadataService).getWebServer().getPort();
    }

    @Override
    public void close() {
        if (coordinator != null) {
            coordinator.close();
            coordinator = null;
        }
        brokers.keySet().stream().sorted(Comparator.reverseOrder()).toList().forEach(this::stopBroker);
        if (metadataService != null) {
            metadataService.close();
            metadataService = null;
        }
        if (zookeeper != null) {
            try {
                zookeeper.close();
            } catch (IOException e) {
                // cleanup only
            }
            zookeeper = null;
        }
        deleteQuietly(dataDir);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // cleanup only: a temporary directory
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
