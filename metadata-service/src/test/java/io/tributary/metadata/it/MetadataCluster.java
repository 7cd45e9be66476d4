package io.tributary.metadata.it;

import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import io.tributary.metadata.MetadataServiceApplication;
import io.tributary.metadata.controller.ClusterController;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One in-process ZooKeeper and two metadata-service instances (Spring contexts on random
 * ports), shared by every integration test class in the JVM so that contexts start once.
 * Brokers are simulated by their ephemeral registrations, each on its own Curator client:
 * closing the client is the broker dying.
 */
final class MetadataCluster {

    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static MetadataCluster shared;

    final TestingServer zookeeper;
    final CuratorFramework admin;
    final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private final Map<Integer, CuratorFramework> brokers = new HashMap<>();
    private int started;

    private MetadataCluster() throws Exception {
        zookeeper = new TestingServer(true);
        admin = client();
        instances.add(startInstance());
        instances.add(startInstance());
    }

    static synchronized MetadataCluster get() throws Exception {
        if (shared == null) {
            shared = new MetadataCluster();
        }
        return shared;
    }

    /** Another instance; {@code extraArgs} are more command-line properties. */
    ConfigurableApplicationContext startInstance(String... extraArgs) {
        started++;
        // command-line arguments: they outrank application.yml
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--tributary.zookeeper.connect=" + zookeeper.getConnectString(),
                "--tributary.zookeeper.session-timeout=" + SESSION_TIMEOUT.toMillis() + "ms",
                "--spring.cloud.zookeeper.connect-string=" + zookeeper.getConnectString(),
                "--tributary.metadata.instance-id=metadata-" + started,
                "--tributary.metadata.leader-imbalance-check-interval=2s",
                "--tributary.metadata.topic-ready-timeout=3s",
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(extraArgs));
        return new SpringApplicationBuilder(MetadataServiceApplication.class).run(args.toArray(String[]::new));
    }

    CuratorFramework client() throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(zookeeper.getConnectString())
                .namespace("tributary")
                .sessionTimeoutMs((int) SESSION_TIMEOUT.toMillis())
                .retryPolicy(new RetryOneTime(100))
                .build();
        client.start();
        client.blockUntilConnected();
        return client;
    }

    /** Registers broker {@code id} the way a broker does: an ephemeral znode on its own session. */
    /** Brokers 1 to {@code count}, without racks, registered. */
    void startBrokers(int count) throws Exception {
        for (int id = 1; id <= count; id++) {
            startBroker(id, null);
        }
    }

    void startBroker(int id, String rack) throws Exception {
        CuratorFramework client = client();
        client.create()
                .creatingParentContainersIfNeeded()
                .withMode(CreateMode.EPHEMERAL)
                .forPath(
                        ZkPaths.broker(id),
                        ZkJson.toBytes(new BrokerRegistration(
                                id, "localhost", 9092 + id, 8080 + id, rack, System.currentTimeMillis())));
        brokers.put(id, client);
    }

    /** Broker {@code id} rewrites its registration, as a broker does when a log directory goes offline. */
    void reportOffline(int id, String dir, Map<String, List<Integer>> replicas) throws Exception {
        CuratorFramework client = brokers.get(id);
        BrokerRegistration registration =
                ZkJson.fromBytes(client.getData().forPath(ZkPaths.broker(id)), BrokerRegistration.class);
        client.setData().forPath(ZkPaths.broker(id), ZkJson.toBytes(registration.withOffline(List.of(dir), replicas)));
    }

    /** The broker's session ends: its znode goes at once. */
    void stopBroker(int id) {
        CuratorFramework client = brokers.remove(id);
        if (client != null) {
            client.close();
        }
    }

    void stopAllBrokers() {
        List.copyOf(brokers.keySet()).forEach(this::stopBroker);
    }

    ConfigurableApplicationContext controllerInstance() {
        return instances.stream()
                .filter(c -> c.getBean(ClusterController.class).isActive())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no controller"));
    }

    ConfigurableApplicationContext standbyInstance() {
        return instances.stream()
                .filter(c -> !c.getBean(ClusterController.class).isActive())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no standby"));
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    static Response get(ConfigurableApplicationContext context, String path) {
        return send(context, "GET", path, null);
    }

    static Response post(ConfigurableApplicationContext context, String path, Object body) {
        return send(context, "POST", path, body);
    }

    static Response patch(ConfigurableApplicationContext context, String path, Object body) {
        return send(context, "PATCH", path, body);
    }

    static Response delete(ConfigurableApplicationContext context, String path) {
        return send(context, "DELETE", path, null);
    }

    static Response send(ConfigurableApplicationContext context, String method, String path, Object body) {
        return send(context, method, path, body, Map.of());
    }

    static Response send(
            ConfigurableApplicationContext context,
            String method,
            String path,
            Object body,
            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port(context) + path))
                .timeout(Duration.ofSeconds(15));
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Response(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    text == null || text.isEmpty() ? JSON.nullNode() : JSON.readTree(text));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP answer with its JSON body. */
    record Response(int status, String contentType, JsonNode body) {

        int errorCode() {
            return body.path("errorCode").asInt(-1);
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }
}
