package io.tributary.group.it;

import static io.tributary.group.it.GroupCoordinatorRestartIT.assertCommitted;
import static io.tributary.group.it.GroupCoordinatorRestartIT.commit;
import static io.tributary.group.it.GroupCoordinatorRestartIT.get;
import static io.tributary.group.it.GroupCoordinatorRestartIT.joinStable;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.security.ScramPasswordVerifier;
import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import io.tributary.group.ownership.GroupOwnership;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Offset history through the REST API of two coordinator instances that share one H2 file (its
 * automatic mixed mode) and split the groups between them: every commit is kept with its time,
 * member and client id; a reset restores the positions as of a past commit time, whichever
 * instance is asked; a group with active members (of either protocol) is refused; an unknown group is
 * GROUP_ID_NOT_FOUND. Both instances run with HTTP security on (SCRAM users in ZooKeeper, super
 * user {@code admin}), so the tests call as {@code admin} and a forwarded reset carries the
 * caller's credentials to the owner.
 */
class OffsetHistoryApiIT {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    @TempDir
    static Path dataDir;

    static ConfigurableApplicationContext first;
    static ConfigurableApplicationContext second;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final String ADMIN = basic("admin", "admin-secret");
    static final String ALICE = basic("alice", "alice-secret");

    @BeforeAll
    static void start() throws Exception {
        try (CuratorFramework zookeeper = CuratorFrameworkFactory.builder()
                .connectString(ZOOKEEPER.connectString())
                .namespace("tributary")
                .retryPolicy(new RetryOneTime(100))
                .build()) {
            zookeeper.start();
            addScramUser(zookeeper, "admin", "admin-secret");
            addScramUser(zookeeper, "alice", "alice-secret");
        }
        first = start("gc-a");
        second = start("gc-b");
    }

    static void addScramUser(CuratorFramework zookeeper, String user, String password) throws Exception {
        String credential = ScramPasswordVerifier.credentialString(ScramMechanism.SCRAM_SHA_256, password, 4096);
        zookeeper
                .create()
                .creatingParentsIfNeeded()
                .forPath(
                        ZkPaths.user(user),
                        ZkJson.toBytes(Map.of("version", 1, "config", Map.of("SCRAM-SHA-256", credential))));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static ConfigurableApplicationContext start(String name) {
        return CoordinatorInstances.start(
                ZOOKEEPER.connectString(),
                dataDir.resolve("shared"),
                "--tributary.group.initial-rebalance-delay=0s",
                "--tributary.http.security.enabled=true",
                "--tributary.http.security.super-users=User:admin",
                "--spring.cloud.zookeeper.discovery.instance-id=" + name);
    }

    @AfterAll
    static void stop() {
        Stream.of(second, first).filter(c -> c != null).forEach(ConfigurableApplicationContext::close);
    }

    /** The instance serving {@code group} and the other one, once the partitions are split. */
    static List<ConfigurableApplicationContext> ownerFirst(String group) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            boolean a = first.getBean(GroupOwnership.class).ownsGroup(group);
            boolean b = second.getBean(GroupOwnership.class).ownsGroup(group);
            if (a != b) {
                return a ? List.of(first, second) : List.of(second, first);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("group " + group + " is not served by exactly one instance");
    }

    static String url(ConfigurableApplicationContext context, String path) {
        return "http://localhost:"
                + ((WebServerApplicationContext) context).getWebServer().getPort() + path;
    }

    /** Sends {@code request} as the super user. */
    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> reset(ConfigurableApplicationContext via, String group, String body) throws Exception {
        return send(resetRequest(via, group, body));
    }

    static HttpRequest.Builder resetRequest(ConfigurableApplicationContext via, String group, String body) {
        return HttpRequest.newBuilder(URI.create(url(via, "/api/groups/" + group + "/offsets/reset")))
                .header("Content-Type", "application/json")
                .header("Client-Id", "ops-cli")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static int status(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static long committed(GroupCoordinator coordinator, String group, int partition) throws Exception {
        var fetched = get(coordinator.fetchOffsets(
                RequestContext.of("admin", "/127.0.0.1", 9),
                new OffsetFetchRequestData()
                        .setGroups(List.of(
                                new OffsetFetchRequestGroup().setGroupId(group).setTopics(null)))));
        return fetched.groups().get(0).topics().get(0).partitions().stream()
                .filter(p -> p.partitionIndex() == partition)
                .mapToLong(OffsetFetchResponsePartitions::committedOffset)
                .findFirst()
                .orElse(-1);
    }

    @Test
    void shouldKeepEveryCommitAndResetToTheOffsetsOfAPastCommitTimeThroughEitherInstance() throws Exception {
        String group = "history-reset";
        List<ConfigurableApplicationContext> instances = ownerFirst(group);
        GroupCoordinator owner = instances.get(0).getBean(GroupCoordinator.class);
        RequestContext deployV1 = RequestContext.of("billing-v1", "/127.0.0.1", 9);
        RequestContext deployV2 = RequestContext.of("billing-v2", "/127.0.0.1", 9);

        assertCommitted(get(owner.commitOffsets(deployV1, commit(group, "", -1, 100))));
        Thread.sleep(20);
        Instant t1 = Instant.now();
        Thread.sleep(20);
        assertCommitted(get(owner.commitOffsets(deployV2, commit(group, "", -1, 500))));
        assertThat(committed(owner, group, 0)).isEqualTo(500);

        // the history, from the instance that does not serve the group (the store is shared)
        HttpResponse<String> history = send(HttpRequest.newBuilder(
                URI.create(url(instances.get(1), "/api/groups/" + group + "/offsets/history?topic=events"))));
        assertThat(history.statusCode()).isEqualTo(200);
        JsonNode commits = JSON.readTree(history.body()).path("commits");
        assertThat(commits).hasSize(4);
        assertThat(commits.get(0).path("offset").asLong()).isEqualTo(100);
        assertThat(commits.get(0).path("clientId").asString()).isEqualTo("billing-v1");
        assertThat(commits.get(3).path("offset").asLong()).isEqualTo(1000);
        assertThat(commits.get(3).path("clientId").asString()).isEqualTo("billing-v2");

        // a dry run changes nothing
        HttpResponse<String> dryRun = reset(instances.get(1), group, "{\"toCommitTime\":\"" + t1 + "\"}");
        assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
        JsonNode planned = JSON.readTree(dryRun.body());
        assertThat(planned.path("executed").asBoolean()).isFalse();
        assertThat(planned.path("partitions").get(0).path("currentOffset").asLong())
                .isEqualTo(500);
        assertThat(planned.path("partitions").get(0).path("newOffset").asLong()).isEqualTo(100);
        assertThat(committed(owner, group, 0)).isEqualTo(500);

        // executed through the instance that does not serve the group: forwarded to the owner
        HttpResponse<String> executed =
                reset(instances.get(1), group, "{\"toCommitTime\":\"" + t1 + "\",\"execute\":true}");
        assertThat(executed.statusCode()).as(executed.body()).isEqualTo(200);
        assertThat(committed(owner, group, 0)).isEqualTo(100);
        assertThat(committed(owner, group, 1)).isEqualTo(200);

        // and the reset is itself in the history, under the caller's client id
        JsonNode after = JSON.readTree(send(HttpRequest.newBuilder(URI.create(
                                url(instances.get(0), "/api/groups/" + group + "/offsets/history?since=" + t1))))
                        .body())
                .path("commits");
        assertThat(after)
                .extracting(c -> c.path("clientId").asString())
                .containsExactly("billing-v2", "billing-v2", "ops-cli", "ops-cli");
    }

    @Test
    void shouldRefuseToResetAGroupWithActiveMembers() throws Exception {
        String group = "restartable"; // the group GroupCoordinatorRestartIT's helpers join
        List<ConfigurableApplicationContext> instances = ownerFirst(group);
        GroupCoordinator owner = instances.get(0).getBean(GroupCoordinator.class);
        var member = joinStable(owner);
        assertCommitted(get(owner.commitOffsets(
                RequestContext.of("consumer-1", "/127.0.0.1", 9),
                commit(group, member.memberId(), member.generationId(), 7))));

        for (ConfigurableApplicationContext via : instances) {
            HttpResponse<String> refused =
                    reset(via, group, "{\"toCommitTime\":\"2020-01-01T00:00:00Z\",\"execute\":true}");
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(refused.body());
            assertThat(problem.path("error").asString()).isEqualTo(Errors.NON_EMPTY_GROUP.name());
            assertThat(problem.path("detail").asString())
                    .contains("1 active members")
                    .doesNotContain("\n");
        }
        assertThat(committed(owner, group, 0)).isEqualTo(7);
    }

    @Test
    void shouldRefuseToResetAConsumerProtocolGroupWithActiveMembers() throws Exception {
        String group = "kip848-reset";
        List<ConfigurableApplicationContext> instances = ownerFirst(group);
        GroupCoordinator owner = instances.get(0).getBean(GroupCoordinator.class);
        RequestContext ctx = RequestContext.of("consumer-1", "/127.0.0.1", 9);
        var joined = get(owner.consumerGroupHeartbeat(
                RequestContext.of("consumer-1", "/127.0.0.1", 0),
                new ConsumerGroupHeartbeatRequestData()
                        .setGroupId(group)
                        .setMemberId(Uuid.randomUuid().toString())
                        .setMemberEpoch(0)
                        .setRebalanceTimeoutMs(30_000)
                        .setSubscribedTopicNames(List.of("events"))
                        .setTopicPartitions(List.of())));
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertCommitted(get(owner.commitOffsets(ctx, commit(group, joined.memberId(), joined.memberEpoch(), 3))));

        for (ConfigurableApplicationContext via : instances) {
            HttpResponse<String> refused =
                    reset(via, group, "{\"toCommitTime\":\"2020-01-01T00:00:00Z\",\"execute\":true}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            JsonNode problem = JSON.readTree(refused.body());
            assertThat(problem.path("error").asString()).isEqualTo(Errors.NON_EMPTY_GROUP.name());
            assertThat(problem.path("detail").asString()).contains("1 active members (consumer protocol");
        }
        assertThat(committed(owner, group, 0)).isEqualTo(3);
    }

    @Test
    void shouldAnswerGroupIdNotFoundForAnUnknownGroup() throws Exception {
        String group = "never-seen";
        for (ConfigurableApplicationContext via : ownerFirst(group)) {
            HttpResponse<String> history =
                    send(HttpRequest.newBuilder(URI.create(url(via, "/api/groups/" + group + "/offsets/history"))));
            HttpResponse<String> reset = reset(via, group, "{\"toCommitTime\":\"2026-11-24T08:00:00Z\"}");
            for (HttpResponse<String> response : List.of(history, reset)) {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
                assertThat(JSON.readValue(response.body(), Map.class))
                        .containsEntry("errorCode", (int) Errors.GROUP_ID_NOT_FOUND.code())
                        .containsEntry("error", Errors.GROUP_ID_NOT_FOUND.name());
            }
        }
    }

    @Test
    void shouldRefuseAnonymousWrongPasswordAndNonSuperUserResetsAndKeepHealthOpen() throws Exception {
        String group = "guarded";
        String body = "{\"toCommitTime\":\"2026-11-24T08:00:00Z\",\"execute\":true}";
        for (ConfigurableApplicationContext via : List.of(first, second)) {
            assertThat(status(resetRequest(via, group, body))).isEqualTo(401);
            assertThat(status(resetRequest(via, group, body).header("Authorization", basic("admin", "nope"))))
                    .isEqualTo(401);
            assertThat(status(resetRequest(via, group, body).header("Authorization", ALICE)))
                    .isEqualTo(403);
            // the super user gets through to the API, which knows no such group
            assertThat(status(resetRequest(via, group, body).header("Authorization", ADMIN)))
                    .isEqualTo(404);

            String history = "/api/groups/" + group + "/offsets/history";
            assertThat(status(HttpRequest.newBuilder(URI.create(url(via, history)))))
                    .isEqualTo(401);
            assertThat(status(HttpRequest.newBuilder(URI.create(url(via, history)))
                            .header("Authorization", ALICE)))
                    .isEqualTo(404);
            assertThat(status(HttpRequest.newBuilder(URI.create(url(via, "/actuator/health/liveness")))))
                    .isEqualTo(200);
            assertThat(status(HttpRequest.newBuilder(URI.create(url(via, "/actuator/prometheus")))))
                    .isEqualTo(200);
        }
    }
}
