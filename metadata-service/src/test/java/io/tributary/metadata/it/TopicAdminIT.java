package io.tributary.metadata.it;

import static io.tributary.metadata.it.MetadataCluster.delete;
import static io.tributary.metadata.it.MetadataCluster.get;
import static io.tributary.metadata.it.MetadataCluster.patch;
import static io.tributary.metadata.it.MetadataCluster.post;
import static io.tributary.metadata.it.MetadataCluster.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.common.security.ScramPasswordVerifier;
import io.tributary.common.testing.TestCertificates;
import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import io.tributary.metadata.it.MetadataCluster.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

class TopicAdminIT {

    private MetadataCluster cluster;
    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    @BeforeEach
    void setUp() throws Exception {
        cluster = MetadataCluster.get();
        first = cluster.instances.get(0);
        second = cluster.instances.get(1);
        cluster.startBrokers(3);
    }

    @AfterEach
    void tearDown() {
        cluster.stopAllBrokers();
    }

    @Test
    void shouldBalanceReplicasAndLeadersOverThreeBrokers() throws Exception {
        Response created = post(
                first,
                "/api/topics",
                Map.of(
                        "name",
                        "balanced",
                        "partitions",
                        6,
                        "replicationFactor",
                        3,
                        "configs",
                        Map.of("retention.ms", "3600000")));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode topic = awaitLeaders(second, "balanced", 6);
        Map<Integer, Integer> leaders = new HashMap<>();
        Map<Integer, Integer> preferred = new HashMap<>();
        for (JsonNode partition : topic.path("partitions")) {
            List<Integer> replicas = ints(partition.path("replicas"));
            assertThat(replicas).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(ints(partition.path("isr"))).containsExactlyElementsOf(replicas);
            assertThat(partition.path("leader").asInt()).isEqualTo(replicas.get(0));
            assertThat(partition.path("leaderEpoch").asInt()).isZero();
            leaders.merge(partition.path("leader").asInt(), 1, Integer::sum);
            preferred.merge(replicas.get(0), 1, Integer::sum);
        }
        assertThat(leaders).containsExactlyInAnyOrderEntriesOf(Map.of(1, 2, 2, 2, 3, 2));
        assertThat(preferred).containsExactlyInAnyOrderEntriesOf(Map.of(1, 2, 2, 2, 3, 2));
        assertThat(topic.path("configs").path("retention.ms").asString()).isEqualTo("3600000");
        TopicRecord record =
                ZkJson.fromBytes(cluster.admin.getData().forPath(ZkPaths.topic("balanced")), TopicRecord.class);
        assertThat(record.topicId().toString()).isEqualTo(topic.path("topicId").asString());
        assertThat(get(first, "/api/topics").body().toString()).contains("\"balanced\"");
        JsonNode described = get(first, "/api/topics?describe=true").body();
        boolean found = false;
        for (JsonNode entry : described) {
            found |= entry.path("name").asString().equals("balanced")
                    && entry.path("partitions").size() == 6;
        }
        assertThat(found).as(described.toString()).isTrue();
        JsonNode brokers = get(second, "/api/brokers").body();
        List<Integer> brokerIds = new ArrayList<>();
        brokers.forEach(b -> brokerIds.add(b.path("id").asInt()));
        assertThat(brokerIds).containsExactly(1, 2, 3);
    }

    @Test
    void shouldRefuseInvalidNamesDuplicatesCollisionsAndTooHighReplicationFactors() {
        assertThat(post(first, "/api/topics", Map.of("name", "dup.topic", "partitions", 1))
                        .status())
                .isEqualTo(201);

        for (String bad : List.of("", ".", "..", "has space", "slash/name", "x".repeat(250), "ünïcode")) {
            assertError(post(first, "/api/topics", Map.of("name", bad)), 400, 17, "INVALID_TOPIC_EXCEPTION");
        }
        assertError(post(second, "/api/topics", Map.of("name", "dup.topic")), 409, 36, "TOPIC_ALREADY_EXISTS");
        assertError(post(second, "/api/topics", Map.of("name", "dup_topic")), 400, 17, "INVALID_TOPIC_EXCEPTION");
        assertError(
                post(first, "/api/topics", Map.of("name", "too-many-replicas", "replicationFactor", 4)),
                400,
                38,
                "INVALID_REPLICATION_FACTOR");
        assertError(
                post(first, "/api/topics", Map.of("name", "no-partitions", "partitions", 0)),
                400,
                37,
                "INVALID_PARTITIONS");
        assertError(
                post(first, "/api/topics", Map.of("name", "bad-config", "configs", Map.of("retention.nope", "1"))),
                400,
                40,
                "INVALID_CONFIG");
        assertError(
                post(
                        first,
                        "/api/topics",
                        Map.of("name", "bad-policy", "configs", Map.of("cleanup.policy", "forever"))),
                400,
                40,
                "INVALID_CONFIG");
        assertError(
                post(first, "/api/topics", Map.of("name", "bad-assignment", "assignment", Map.of("0", List.of(1, 9)))),
                400,
                39,
                "INVALID_REPLICA_ASSIGNMENT");
        assertError(
                post(
                        first,
                        "/api/topics",
                        Map.of("name", "both", "partitions", 2, "assignment", Map.of("0", List.of(1)))),
                400,
                42,
                "INVALID_REQUEST");
        assertError(get(first, "/api/topics/no-such-topic"), 404, 3, "UNKNOWN_TOPIC_OR_PARTITION");
        assertThat(get(first, "/api/topics").body().toString()).doesNotContain("too-many-replicas", "bad-config");
    }

    @Test
    void shouldCreateWithExplicitAssignmentAndDefaultsAndValidateOnly() throws Exception {
        Response explicit = post(
                first,
                "/api/topics",
                Map.of("name", "explicit", "assignment", Map.of("0", List.of(3, 1), "1", List.of(2, 3))));
        assertThat(explicit.status()).as(explicit.toString()).isEqualTo(201);
        JsonNode topic = awaitLeaders(first, "explicit", 2);
        assertThat(ints(topic.path("partitions").get(0).path("replicas"))).containsExactly(3, 1);
        assertThat(topic.path("partitions").get(0).path("leader").asInt()).isEqualTo(3);
        assertThat(topic.path("partitions").get(1).path("leader").asInt()).isEqualTo(2);

        Response defaults =
                post(first, "/api/topics", Map.of("name", "defaults", "partitions", -1, "replicationFactor", -1));
        assertThat(defaults.status()).isEqualTo(201);
        assertThat(defaults.body().path("partitions")).hasSize(1);
        assertThat(defaults.body().path("partitions").get(0).path("replicas")).hasSize(1);

        Response validated =
                post(first, "/api/topics", Map.of("name", "validated", "partitions", 3, "validateOnly", true));
        assertThat(validated.status()).isEqualTo(200);
        assertThat(validated.body().path("partitions")).hasSize(3);
        assertThat(cluster.admin.checkExists().forPath(ZkPaths.topic("validated")))
                .isNull();
    }

    @Test
    void shouldLetExactlyOneOfConcurrentCreatesFromTwoInstancesSucceed() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = "race-" + round;
            CyclicBarrier start = new CyclicBarrier(4);
            List<CompletableFuture<Response>> attempts = new ArrayList<>();
            for (ConfigurableApplicationContext instance : List.of(first, second, first, second)) {
                attempts.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return post(instance, "/api/topics", Map.of("name", name, "partitions", 2, "replicationFactor", 2));
                }));
            }
            List<Response> responses =
                    attempts.stream().map(CompletableFuture::join).toList();

            assertThat(responses)
                    .filteredOn(r -> r.status() == 201)
                    .as(responses.toString())
                    .hasSize(1);
            assertThat(responses)
                    .filteredOn(r -> r.status() == 409)
                    .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo(36))
                    .hasSize(3);
        }
        // names differing only in '.' and '_' collide, even when created at the same moment
        List<CompletableFuture<Response>> colliding = List.of(
                CompletableFuture.supplyAsync(() -> post(first, "/api/topics", Map.of("name", "coll.ide"))),
                CompletableFuture.supplyAsync(() -> post(second, "/api/topics", Map.of("name", "coll_ide"))));
        assertThat(colliding.stream().map(CompletableFuture::join).filter(r -> r.status() == 201))
                .hasSize(1);
    }

    @Test
    void shouldCreateManyDifferentTopicsConcurrentlyFromTwoInstances() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Response>> creates = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                ConfigurableApplicationContext instance = i % 2 == 0 ? first : second;
                String name = "many-" + i;
                creates.add(CompletableFuture.supplyAsync(
                        () -> post(instance, "/api/topics", Map.of("name", name, "partitions", 2)), pool));
            }
            List<Response> responses =
                    creates.stream().map(CompletableFuture::join).toList();

            assertThat(responses)
                    .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
            assertThat(responses.stream()
                            .map(r -> r.body().path("topicId").asString())
                            .distinct())
                    .hasSize(24);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldMakeADeletedTopicDisappearAtOnceAndGiveARecreatedOneANewId() throws Exception {
        Response created =
                post(first, "/api/topics", Map.of("name", "doomed", "partitions", 3, "replicationFactor", 2));
        String firstId = created.body().path("topicId").asString();
        awaitLeaders(first, "doomed", 3);

        assertThat(delete(second, "/api/topics/doomed").status()).isEqualTo(204);

        assertError(get(second, "/api/topics/doomed"), 404, 3, "UNKNOWN_TOPIC_OR_PARTITION");
        assertThat(cluster.admin.checkExists().forPath(ZkPaths.topic("doomed"))).isNull();
        assertError(delete(first, "/api/topics/doomed"), 404, 3, "UNKNOWN_TOPIC_OR_PARTITION");
        Response recreated = post(first, "/api/topics", Map.of("name", "doomed", "partitions", 1));
        assertThat(recreated.status()).isEqualTo(201);
        assertThat(recreated.body().path("topicId").asString()).isNotEqualTo(firstId);
        awaitLeaders(first, "doomed", 1);
    }

    @Test
    void shouldIncreasePartitionsAndRefuseDecreases() throws Exception {
        post(first, "/api/topics", Map.of("name", "growing", "partitions", 2, "replicationFactor", 2));

        Response grown = post(second, "/api/topics/growing/partitions", Map.of("totalCount", 5));

        assertThat(grown.status()).as(grown.toString()).isEqualTo(200);
        JsonNode topic = awaitLeaders(first, "growing", 5);
        for (JsonNode partition : topic.path("partitions")) {
            assertThat(partition.path("replicas")).hasSize(2);
        }
        Response explicit = post(
                first,
                "/api/topics/growing/partitions",
                Map.of("totalCount", 6, "assignment", Map.of("5", List.of(3, 2))));
        assertThat(explicit.status()).as(explicit.toString()).isEqualTo(200);
        assertThat(ints(awaitLeaders(first, "growing", 6)
                        .path("partitions")
                        .get(5)
                        .path("replicas")))
                .containsExactly(3, 2);
        assertError(
                post(first, "/api/topics/growing/partitions", Map.of("totalCount", 3)), 400, 37, "INVALID_PARTITIONS");
        assertError(
                post(first, "/api/topics/missing/partitions", Map.of("totalCount", 3)),
                404,
                3,
                "UNKNOWN_TOPIC_OR_PARTITION");
    }

    @Test
    void shouldDescribeAndAlterConfigsWithKafkaSources() throws Exception {
        post(first, "/api/topics", Map.of("name", "configured", "configs", Map.of("retention.ms", "1000")));

        JsonNode configs = get(second, "/api/topics/configured/configs").body();
        assertThat(config(configs, "retention.ms").path("source").asString()).isEqualTo("TOPIC");
        assertThat(config(configs, "retention.ms").path("value").asString()).isEqualTo("1000");
        assertThat(config(configs, "segment.bytes").path("source").asString()).isEqualTo("DEFAULT");
        assertThat(config(configs, "segment.bytes").path("value").asString()).isEqualTo("1073741824");

        Response altered = patch(
                first,
                "/api/topics/configured/configs",
                Map.of("set", Map.of("max.message.bytes", "2048"), "delete", List.of("retention.ms")));
        assertThat(altered.status()).as(altered.toString()).isEqualTo(200);
        JsonNode after = get(second, "/api/topics/configured/configs").body();
        assertThat(config(after, "max.message.bytes").path("value").asString()).isEqualTo("2048");
        assertThat(config(after, "retention.ms").path("source").asString()).isEqualTo("DEFAULT");
        assertThat(get(first, "/api/topics/configured").body().path("configs").toString())
                .isEqualTo("{\"max.message.bytes\":\"2048\"}");

        assertError(
                patch(first, "/api/topics/configured/configs", Map.of("set", Map.of("no.such", "1"))),
                400,
                40,
                "INVALID_CONFIG");
        assertError(
                patch(first, "/api/topics/configured/configs", Map.of("set", Map.of("segment.bytes", "big"))),
                400,
                40,
                "INVALID_CONFIG");
        assertError(
                patch(first, "/api/topics/missing/configs", Map.of("set", Map.of("retention.ms", "1"))),
                404,
                3,
                "UNKNOWN_TOPIC_OR_PARTITION");
    }

    @Test
    void shouldAnswerMalformedRequestsWithProblemDetails() {
        Response response = MetadataCluster.send(first, "POST", "/api/topics", "not json");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.errorCode()).isEqualTo(42);
    }

    @Test
    void shouldServeAnOpenApiDescriptionOfTheRestApi() {
        Response docs = get(first, "/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().path("paths").has("/api/topics")).isTrue();
        assertThat(docs.body().path("paths").has("/api/topics/{name}/configs")).isTrue();
        assertThat(docs.body().path("paths").has("/api/cluster")).isTrue();
        assertThat(docs.body().path("paths").has("/api/elections/preferred")).isTrue();
    }

    private JsonNode awaitLeaders(ConfigurableApplicationContext instance, String topic, int partitions) {
        return await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(25))
                .until(() -> get(instance, "/api/topics/" + topic).body(), body -> {
                    JsonNode list = body.path("partitions");
                    if (list.size() != partitions) {
                        return false;
                    }
                    for (JsonNode partition : list) {
                        if (partition.path("leader").asInt() < 0) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    @Test
    void shouldLetOnlyScramSuperUsersChangeStateWhenHttpSecurityIsOn() throws Exception {
        addScramUser("admin", "admin-secret");
        addScramUser("alice", "alice-secret");
        ConfigurableApplicationContext secured = cluster.startInstance(
                "--tributary.http.security.enabled=true", "--tributary.http.security.super-users=User:admin");
        try {
            Map<String, Object> topic = Map.of("name", "secured.topic", "partitions", 1);
            assertThat(send(secured, "POST", "/api/topics", topic, Map.of()).status())
                    .isEqualTo(401);
            assertThat(send(secured, "POST", "/api/topics", topic, basic("admin", "wrong"))
                            .status())
                    .isEqualTo(401);
            assertThat(send(secured, "POST", "/api/topics", topic, basic("nobody", "admin-secret"))
                            .status())
                    .isEqualTo(401);
            assertThat(send(secured, "POST", "/api/topics", topic, basic("alice", "alice-secret"))
                            .status())
                    .isEqualTo(403);
            assertThat(send(secured, "DELETE", "/api/topics/dup.topic", null, basic("alice", "alice-secret"))
                            .status())
                    .isEqualTo(403);
            Response created = send(secured, "POST", "/api/topics", topic, basic("admin", "admin-secret"));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);

            assertThat(send(secured, "GET", "/api/topics", null, Map.of()).status())
                    .isEqualTo(401);
            Response listed = send(secured, "GET", "/api/topics", null, basic("alice", "alice-secret"));
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.body().toString()).contains("secured.topic");

            assertThat(get(secured, "/actuator/health").status()).isEqualTo(200);
            assertThat(get(secured, "/actuator/health/readiness").status()).isEqualTo(200);
            assertThat(get(secured, "/actuator/metrics").status()).isEqualTo(401);
            assertThat(send(secured, "GET", "/actuator/metrics", null, basic("alice", "alice-secret"))
                            .status())
                    .isEqualTo(403);
            assertThat(send(secured, "GET", "/actuator/metrics", null, basic("admin", "admin-secret"))
                            .status())
                    .isEqualTo(200);
            // the shared instances run with the default: security off
            assertThat(get(first, "/api/topics").status()).isEqualTo(200);
        } finally {
            secured.close();
        }
    }

    @Test
    void shouldServeHttpsFromAnSslBundleAndServeARotatedCertificateToNewConnections(@TempDir Path dir)
            throws Exception {
        TestCertificates ca = TestCertificates.newCa(dir, "http-ca");
        TestCertificates nextCa = TestCertificates.newCa(dir, "next-http-ca");
        Path keystore = dir.resolve("http.p12");
        Files.copy(ca.keystore("localhost"), keystore, StandardCopyOption.REPLACE_EXISTING);
        ConfigurableApplicationContext tls = cluster.startInstance(
                "--server.ssl.bundle=http",
                "--spring.ssl.bundle.jks.http.reload-on-update=true",
                "--spring.ssl.bundle.jks.http.keystore.location=file:" + keystore,
                "--spring.ssl.bundle.jks.http.keystore.password=" + TestCertificates.PASSWORD,
                "--spring.ssl.bundle.jks.http.keystore.type=PKCS12",
                "--spring.ssl.bundle.watch.file.quiet-period=200ms");
        try {
            URI health = URI.create("https://localhost:" + MetadataCluster.port(tls) + "/actuator/health");
            assertThat(httpsStatus(health, ca)).isEqualTo(200);

            // a certificate from another CA: only a reloaded server satisfies clients trusting that CA
            Files.copy(nextCa.keystore("localhost"), keystore, StandardCopyOption.REPLACE_EXISTING);
            await().atMost(Duration.ofSeconds(15))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(httpsStatus(health, nextCa)).isEqualTo(200));
            assertThatThrownBy(() -> httpsStatus(health, ca)).isInstanceOf(SSLHandshakeException.class);
        } finally {
            tls.close();
        }
    }

    /** GET over a new connection that trusts only {@code trusted}'s CA. */
    private static int httpsStatus(URI uri, TestCertificates trusted) throws Exception {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(trusted.truststore())) {
            trustStore.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        // a new client each time: a new connection, a new handshake (Java 17's HttpClient has no close)
        HttpClient client = HttpClient.newBuilder()
                .sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return client.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private void addScramUser(String user, String password) throws Exception {
        String credential = ScramPasswordVerifier.credentialString(ScramMechanism.SCRAM_SHA_512, password, 4096);
        cluster.admin
                .create()
                .orSetData()
                .creatingParentsIfNeeded()
                .forPath(
                        ZkPaths.user(user),
                        ZkJson.toBytes(Map.of("version", 1, "config", Map.of("SCRAM-SHA-512", credential))));
    }

    private static Map<String, String> basic(String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return Map.of("Authorization", "Basic " + token);
    }

    static void assertError(Response response, int status, int errorCode, String error) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.errorCode()).as(response.toString()).isEqualTo(errorCode);
        assertThat(response.body().path("error").asString()).isEqualTo(error);
    }

    private static JsonNode config(JsonNode configs, String name) {
        for (JsonNode entry : configs.path("configs")) {
            if (entry.path("name").asString().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no config " + name + " in " + configs);
    }

    static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asInt()));
        return values;
    }
}
