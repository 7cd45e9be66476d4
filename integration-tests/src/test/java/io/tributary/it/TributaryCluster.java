package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tributary cluster for end-to-end tests: a real in-process ZooKeeper and each service as a
 * separate JVM started from its packaged jar, extracted ({@link ServiceJars}) as {@code
 * bin/tributary-local} runs them, with a small heap. Processes can be stopped politely ({@link #stop}) or killed with SIGKILL
 * ({@link #kill}) and started again with the same identity and data. Each process logs to
 * {@link #logFile}, {@code target/it-logs/fork-N/{name}.log} (N: the Failsafe JVM); a start that
 * fails names that file.
 *
 * <p>Not thread-safe: a test drives it from one thread.
 */
public final class TributaryCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TributaryCluster.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One service process and the ports it was given (kept across restarts). */
    public static final class Service {
        final String name;
        final List<String> command;
        final int httpPort;
        final int kafkaPort;
        Process process;

        Service(String name, List<String> command, int httpPort, int kafkaPort) {
            this.name = name;
            this.command = command;
            this.httpPort = httpPort;
            this.kafkaPort = kafkaPort;
        }

        public String name() {
            return name;
        }

        public int httpPort() {
            return httpPort;
        }

        public int kafkaPort() {
            return kafkaPort;
        }

        public boolean isAlive() {
            return process != null && process.isAlive();
        }

        public long pid() {
            return process.pid();
        }

        /** {@code https://localhost:port} when started with {@code --server.ssl.bundle}, else {@code http://…}. */
        public String baseUrl() {
            boolean https = command.stream().anyMatch(arg -> arg.startsWith("--server.ssl.bundle="));
            return (https ? "https" : "http") + "://localhost:" + httpPort;
        }
    }

    private final Path logs = Path.of(System.getProperty("tributary.it.logs", "target/it-logs"));
    private final Path dataDir;
    private final TestingServer zookeeper;
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final BiFunction<String, List<String>, List<String>> launcher;

    public TributaryCluster() {
        this((name, command) -> command);
    }

    /**
     * A cluster whose processes start with {@code launcher.apply(name, command)} instead of the
     * bare command: a hook for tests that wrap each process (e.g. {@link NetworkFaults#wrap}).
     * The wrapper must {@code exec} the command so the process id stays that of the service.
     */
    public TributaryCluster(BiFunction<String, List<String>, List<String>> launcher) {
        this.launcher = launcher;
        try {
            Files.createDirectories(logs);
            dataDir = Files.createTempDirectory("tributary-it");
            zookeeper = new TestingServer(true);
        } catch (Exception e) {
            throw new IllegalStateException("could not start ZooKeeper", e);
        }
    }

    /**
     * Probes the services that serve HTTPS ({@code --server.ssl.bundle}) trusting {@code tls};
     * call before {@link #awaitHealthy}.
     */
    public void trustHttps(SSLContext tls) {
        http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .sslContext(tls)
                .build();
    }

    /**
     * The file service {@code name} logs to, appended to by every start of that name in this test
     * JVM (earlier classes' clusters included).
     */
    public Path logFile(String name) {
        return logs.resolve(name + ".log");
    }

    public String zookeeperConnect() {
        return zookeeper.getConnectString();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Starts one metadata-service instance named {@code name}, with {@code extraArgs}. */
    public Service startMetadataService(String name, String... extraArgs) {
        int http = ListenPorts.next();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + http,
                "--tributary.metadata.instance-id=" + name,
                "--tributary.metadata.leader-imbalance-check-interval=5s"));
        args.addAll(List.of(extraArgs));
        return start(name, "metadata-service", http, -1, args);
    }

    /** Starts brokers 1 to {@code count}, each with {@code extraArgs}. */
    public void startBrokers(int count, String... extraArgs) {
        for (int id = 1; id <= count; id++) {
            startBroker(id, extraArgs);
        }
    }

    /** Starts broker {@code id}; its log directory survives {@link #kill}/{@link #restart}. */
    public Service startBroker(int id, String... extraArgs) {
        int http = ListenPorts.next();
        int kafka = ListenPorts.next();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + http,
                "--tributary.broker.id=" + id,
                "--tributary.broker.kafka-port=" + kafka,
                "--tributary.broker.log-dirs=" + dataDir.resolve("broker-" + id),
                "--tributary.broker.registration-wait=15s"));
        args.addAll(List.of(extraArgs));
        return start("broker-" + id, "broker-service", http, kafka, args);
    }

    /** Starts a group-coordinator instance named {@code name}. */
    public Service startGroupCoordinator(String name, String... extraArgs) {
        int http = ListenPorts.next();
        int kafka = ListenPorts.next();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + http,
                "--tributary.group.kafka-port=" + kafka,
                "--tributary.group.data-dir=" + dataDir.resolve(name),
                "--spring.cloud.zookeeper.discovery.instance-id=" + name));
        args.addAll(List.of(extraArgs));
        return start(name, "group-coordinator", http, kafka, args);
    }

    /**
     * Starts group-coordinator-1 to {@code count} sharing one store, as {@code bin/tributary-local
     * up --coordinators N} runs them: one H2 file in automatic mixed mode under the cluster's data
     * directory, so that a group that moves between instances keeps its offsets and history.
     */
    public void startGroupCoordinators(int count, String... extraArgs) {
        for (int i = 1; i <= count; i++) {
            List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + sharedGroupStoreUrl()));
            args.addAll(List.of(extraArgs));
            startGroupCoordinator("group-coordinator-" + i, args.toArray(String[]::new));
        }
    }

    /**
     * The JDBC URL of the H2 file the coordinators of {@link #startGroupCoordinators} share; with
     * {@code WRITE_DELAY=0} and {@code FILE_LOCK=SOCKET} as the services' default URL, so an acknowledged commit
     * survives a SIGKILL and a survivor takes the file over at once.
     */
    public String sharedGroupStoreUrl() {
        return "jdbc:h2:file:" + dataDir.resolve("group-coordinators").resolve("groups")
                + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;FILE_LOCK=SOCKET;WRITE_DELAY=0";
    }

    /** The live service whose Kafka-protocol port is {@code kafkaPort}. */
    public Service serviceOnKafkaPort(int kafkaPort) {
        return services.values().stream()
                .filter(s -> s.kafkaPort == kafkaPort)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service on Kafka port " + kafkaPort));
    }

    private Service start(String name, String module, int httpPort, int kafkaPort, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                javaBinary(),
                "-Xms32m",
                module.equals("broker-service") ? "-Xmx384m" : "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dtributary.process=" + name));
        command.addAll(ServiceJars.get().launchArguments(module));
        command.add("--tributary.zookeeper.connect=" + zookeeper.getConnectString());
        command.add("--spring.cloud.zookeeper.max-retries=3");
        command.addAll(args);
        Service service = new Service(name, command, httpPort, kafkaPort);
        services.put(name, service);
        launch(service);
        return service;
    }

    private void launch(Service service) {
        try {
            File logFile = logFile(service.name).toFile();
            service.process = new ProcessBuilder(launcher.apply(service.name, service.command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile))
                    .directory(dataDir.toFile())
                    .start();
            log.info(
                    "Started {} (pid {}, http {}, kafka {})",
                    service.name,
                    service.process.pid(),
                    service.httpPort,
                    service.kafkaPort);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + service.name, e);
        }
    }

    /** Waits until every named service (all when none are named) reports UP. */
    public void awaitHealthy(String... names) {
        List<Service> waiting = names.length == 0
                ? List.copyOf(services.values())
                : Stream.of(names).map(this::service).toList();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (Service service : waiting) {
            while (!isUp(service)) {
                if (!service.isAlive()) {
                    throw new IllegalStateException(service.name + " exited with " + service.process.exitValue()
                            + "; see " + logFile(service.name));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            service.name + " not UP within " + START_TIMEOUT + "; see " + logFile(service.name));
                }
                sleep(200);
            }
        }
    }

    /**
     * Waits until every partition of every topic, the internal ones too, has a leader and all its
     * replicas in the ISR: a broker restarted by a test is UP before it has caught up, and the
     * next test on the same cluster may count on it.
     */
    public void awaitFullIsr() {
        try (Admin admin = admin()) {
            await().atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(partitionsWithoutFullIsr(admin))
                            .as("partitions without a leader or with replicas outside the ISR")
                            .isEmpty());
        }
    }

    private static List<String> partitionsWithoutFullIsr(Admin admin) throws Exception {
        Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true))
                .names()
                .get();
        List<String> lagging = new ArrayList<>();
        admin.describeTopics(names).allTopicNames().get().forEach((topic, description) -> {
            for (TopicPartitionInfo p : description.partitions()) {
                if (p.leader() == null || p.isr().size() < p.replicas().size()) {
                    lagging.add(topic + "-" + p.partition() + " isr " + p.isr() + " of " + p.replicas());
                }
            }
        });
        return lagging;
    }

    private boolean isUp(Service service) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(service.baseUrl() + "/actuator/health/readiness"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Service service(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        return service;
    }

    /** {@code kill -9}: no shutdown hooks, no flush, the ZooKeeper session left to expire. */
    public void kill(String name) {
        Service service = service(name);
        service.process.destroyForcibly();
        waitFor(service);
        log.info("Killed {} with SIGKILL", name);
    }

    /** SIGSTOP: the process freezes (no fetches, no ZooKeeper heartbeats) until {@link #resume}. */
    public void pause(String name) {
        signal(name, "STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume(String name) {
        signal(name, "CONT");
    }

    private void signal(String name, String signal) {
        try {
            Process kill = new ProcessBuilder(
                            "kill", "-" + signal, Long.toString(service(name).pid()))
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + name + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM and wait: a clean shutdown. */
    public void stop(String name) {
        Service service = service(name);
        service.process.destroy();
        waitFor(service);
        log.info("Stopped {}", name);
    }

    /** Starts a stopped or killed service again with the same command line (ports, id, data). */
    public void restart(String name) {
        Service service = service(name);
        if (service.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        launch(service);
    }

    public String bootstrapServers() {
        return services.values().stream()
                .filter(s -> s.kafkaPort > 0 && s.name.startsWith("broker-"))
                .filter(Service::isAlive)
                .map(s -> "localhost:" + s.kafkaPort)
                .collect(Collectors.joining(","));
    }

    /** An AdminClient on the live brokers that gives up on a request after seconds, not minutes. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return Admin.create(props);
    }

    /** The HTTP base URL of the first live metadata-service instance. */
    public String metadataUrl() {
        return services.values().stream()
                .filter(s -> s.command.get(s.command.indexOf("-jar") + 1).contains("metadata-service"))
                .filter(Service::isAlive)
                .findFirst()
                .map(Service::baseUrl)
                .orElseThrow();
    }

    @Override
    public void close() throws IOException {
        for (Service service : services.values()) {
            if (service.isAlive()) {
                service.process.destroy();
            }
        }
        for (Service service : services.values()) {
            if (service.process != null) {
                waitFor(service);
            }
        }
        zookeeper.close();
        deleteDataDir();
    }

    /** Best effort: a leftover data directory only costs disk, but thousands of them add up in /tmp. */
    private void deleteDataDir() {
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete {}: {}", dataDir, e.toString());
        }
    }

    private static void waitFor(Service service) {
        try {
            if (!service.process.waitFor(30, TimeUnit.SECONDS)) {
                service.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
