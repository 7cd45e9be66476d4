package io.tributary.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.it.Topics;
import io.tributary.it.TributaryCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 8: {@code tributary} topics list/describe, produce, consume, groups and cluster, run
 * in-process against real services (a metadata-service, three brokers, a group-coordinator).
 * Topics are set up over the metadata-service REST API, so nothing here needs CreateTopics.
 */
class ClientsCliIT {

    private static TributaryCluster cluster;
    private static Cli cli;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cli.startCluster();
        cli = new Cli(cluster);
        Topics.create(cluster, "lines", 3, 2, Map.of());
        Topics.create(cluster, "billing-events", 2, 2, Map.of());
        Topics.create(cluster, "singles", 1, 3, Map.of());
        Topics.create(cluster, "launched", 1, 1, Map.of());
        for (String topic : List.of("lines", "billing-events", "singles", "launched")) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Cli.Result describe = cli.run("topics", "describe", "--topic", topic, "--output", "json");
                assertThat(describe.exitCode()).as("%s", describe).isZero();
                for (JsonNode p : describe.json().get(0).get("partitions")) {
                    assertThat(p.get("leader").isNull()).isFalse();
                }
            });
        }
    }

    @Test
    void shouldAlterAndDescribeClientQuotas() {
        Cli.Result alter = cli.run(
                "quotas",
                "alter",
                "--user",
                "alice",
                "--client-default",
                "--add",
                "producer_byte_rate=1024,request_percentage=12.5");
        assertThat(alter.exitCode()).as("%s", alter).isZero();

        Cli.Result table = cli.run("quotas", "describe", "--user", "alice", "--client-default");
        assertThat(table.exitCode()).as("%s", table).isZero();
        assertThat(table.outLines())
                .anySatisfy(line -> assertThat(line)
                        .contains("alice")
                        .contains("<default>")
                        .contains("producer_byte_rate=1024,request_percentage=12.5"));
        JsonNode json = cli.run("quotas", "describe", "--output", "json").json();
        assertThat(json.size()).isEqualTo(1);
        assertThat(json.get(0).get("user").asString()).isEqualTo("alice");
        assertThat(json.get(0).get("clientId").asString()).isEqualTo("<default>");
        assertThat(json.get(0).get("quotas").get("producer_byte_rate").asDouble())
                .isEqualTo(1024.0);

        Cli.Result unknown = cli.run("quotas", "alter", "--user", "alice", "--add", "producer_rate=1");
        assertThat(unknown.exitCode()).as("%s", unknown).isNotZero();
        assertThat(unknown.err()).contains("Unknown quota key producer_rate");

        Cli.Result delete = cli.run(
                "quotas",
                "alter",
                "--user",
                "alice",
                "--client-default",
                "--delete",
                "producer_byte_rate,request_percentage");
        assertThat(delete.exitCode()).as("%s", delete).isZero();
        assertThat(cli.run("quotas", "describe", "--output", "json").json().size())
                .isZero();
    }

    @Test
    void shouldListAndDescribeTopicsWithLeaderReplicasAndIsr() {
        Cli.Result list = cli.run("topics", "list");
        assertThat(list.exitCode()).as("%s", list).isZero();
        assertThat(list.outLines()).contains("lines", "billing-events");

        Cli.Result describe = cli.run("topics", "describe", "--topic", "lines");
        assertThat(describe.exitCode()).as("%s", describe).isZero();
        assertThat(describe.outLines()).anySatisfy(l -> assertThat(l).matches("lines\\s+\\S+\\s+3\\s+2"));
        assertThat(describe.outLines())
                .contains("TOPIC  PARTITION  LEADER  REPLICAS  ISR")
                .anySatisfy(l -> assertThat(l).matches("lines  0\\s+[123]\\s+[123],[123]\\s+[123](,[123])?"));

        JsonNode json = cli.run("topics", "describe", "--topic", "lines", "--output", "json")
                .json();
        assertThat(json.get(0).get("partitionCount").asInt()).isEqualTo(3);
        assertThat(json.get(0).get("replicationFactor").asInt()).isEqualTo(2);
        for (JsonNode p : json.get(0).get("partitions")) {
            assertThat(p.get("replicas")).hasSize(2);
            assertThat(p.get("replicas").toString()).contains(p.get("leader").toString());
        }

        Cli.Result unavailable = cli.run("topics", "describe", "--unavailable-partitions", "--output", "json");
        assertThat(unavailable.exitCode()).as("%s", unavailable).isZero();
        assertThat(unavailable.json()).isEmpty();
    }

    @Test
    void shouldProduceLinesThenConsumeThemBackWithKeys() {
        Cli.Result produce = cli.runWithInput(
                "k1:one\nk2:two\nk3:three\nk1:four\n",
                "produce",
                "--topic",
                "lines",
                "--property",
                "parse.key=true",
                "key.separator=:");
        assertThat(produce.exitCode()).as("%s", produce).isZero();
        assertThat(produce.out()).isEqualTo("Produced 4 records to topic lines.\n");

        Cli.Result consume = cli.run(
                "consume",
                "--topic",
                "lines",
                "--from-beginning",
                "--print-key",
                "--max-messages",
                "4",
                "--idle-timeout",
                "30s");
        assertThat(consume.exitCode()).as("%s", consume).isZero();
        assertThat(consume.outLines()).containsExactlyInAnyOrder("k1\tone", "k2\ttwo", "k3\tthree", "k1\tfour");
        // one key, one partition: in order
        assertThat(consume.outLines().indexOf("k1\tone"))
                .isLessThan(consume.outLines().indexOf("k1\tfour"));
        assertThat(consume.err()).contains("Processed a total of 4 messages");

        Cli.Result json = cli.run(
                "consume",
                "--topic",
                "lines",
                "--from-beginning",
                "--max-messages",
                "4",
                "--output",
                "json",
                "--idle-timeout",
                "30s");
        List<String> keys = new ArrayList<>();
        json.outLines()
                .forEach(line -> keys.add(Cli.JSON.readTree(line).get("key").asString()));
        assertThat(keys).containsExactlyInAnyOrder("k1", "k2", "k3", "k1");
    }

    @Test
    void shouldConsumeOnePartitionFromAnOffsetWithOffsetsAndTimestamps() {
        assertThat(cli.runWithInput("a\nb\nc\n", "produce", "--topic", "singles", "--acks", "1")
                        .exitCode())
                .isZero();

        Cli.Result consume = cli.run(
                "consume",
                "--topic",
                "singles",
                "--partition",
                "0",
                "--offset",
                "1",
                "--print-offset",
                "--print-timestamp",
                "--print-partition",
                "--max-messages",
                "2");
        assertThat(consume.exitCode()).as("%s", consume).isZero();
        assertThat(consume.outLines()).hasSize(2);
        assertThat(consume.outLines().get(0)).matches("CreateTime:\\d+\tPartition:0\tOffset:1\tb");
        assertThat(consume.outLines().get(1)).matches("CreateTime:\\d+\tPartition:0\tOffset:2\tc");

        Cli.Result noSuchPartition = cli.run("consume", "--topic", "singles", "--partition", "7");
        assertThat(noSuchPartition.exitCode()).as("%s", noSuchPartition).isEqualTo(3);
        assertThat(noSuchPartition.errLines()).containsExactly("Error: Topic 'singles' has no partition 7 (it has 1).");
    }

    @Test
    void shouldShowZeroLagAfterConsumingAndReadEverythingAgainAfterResetToEarliest() {
        String input = String.join(
                        "\n",
                        IntStream.range(0, 10).mapToObj(i -> "invoice-" + i).toList()) + "\n";
        assertThat(cli.runWithInput(
                                input,
                                "produce",
                                "--topic",
                                "billing-events",
                                "--producer-property",
                                "partitioner.class=org.apache.kafka.clients.producer.RoundRobinPartitioner")
                        .exitCode())
                .isZero();
        long total = 10; // only this test writes billing-events

        Cli.Result first = cli.run(
                "consume",
                "--topic",
                "billing-events",
                "--group",
                "billing",
                "--from-beginning",
                "--max-messages",
                Long.toString(total),
                "--idle-timeout",
                "60s");
        assertThat(first.exitCode()).as("%s", first).isZero();
        assertThat(first.outLines()).hasSize((int) total).contains("invoice-0", "invoice-9");

        Cli.Result describe = cli.run("groups", "describe", "--group", "billing");
        assertThat(describe.exitCode()).as("%s", describe).isZero();
        assertThat(describe.out()).contains("GROUP    TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG");
        JsonNode lag = cli.run("groups", "describe", "--group", "billing", "--output", "json")
                .json();
        assertThat(lag.get("partitions")).isNotEmpty();
        for (JsonNode p : lag.get("partitions")) {
            assertThat(p.get("lag").asLong()).as("%s", p).isZero();
            assertThat(p.get("currentOffset").asLong())
                    .isEqualTo(p.get("logEndOffset").asLong());
        }
        assertThat(cli.run("groups", "list").outLines())
                .anySatisfy(l -> assertThat(l).startsWith("billing "));

        Cli.Result dryRun =
                cli.run("groups", "reset-offsets", "--group", "billing", "--topic", "billing-events", "--to-earliest");
        assertThat(dryRun.exitCode()).as("%s", dryRun).isZero();
        assertThat(dryRun.out()).contains("NEW-OFFSET").contains("Dry run");
        assertThat(totalLag("billing")).isZero();

        Cli.Result execute = cli.run(
                "groups",
                "reset-offsets",
                "--group",
                "billing",
                "--topic",
                "billing-events",
                "--to-earliest",
                "--execute");
        assertThat(execute.exitCode()).as("%s", execute).isZero();
        assertThat(totalLag("billing")).isEqualTo(total);

        Cli.Result again = cli.run(
                "consume",
                "--topic",
                "billing-events",
                "--group",
                "billing",
                "--max-messages",
                Long.toString(total),
                "--idle-timeout",
                "60s");
        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(again.outLines()).containsExactlyInAnyOrderElementsOf(first.outLines());
        assertThat(totalLag("billing")).isZero();

        Cli.Result shift = cli.run(
                "groups",
                "reset-offsets",
                "--group",
                "billing",
                "--topic",
                "billing-events:0",
                "--shift-by",
                "-1",
                "--execute",
                "--output",
                "json");
        assertThat(shift.exitCode()).as("%s", shift).isZero();
        assertThat(totalLag("billing")).isEqualTo(1);
    }

    @Test
    void shouldFailOnOneLineForAnUnknownTopicOrGroup() {
        Cli.Result describe = cli.run("topics", "describe", "--topic", "no-such-topic");
        assertThat(describe.exitCode()).as("%s", describe).isEqualTo(3);
        assertThat(describe.errLines()).containsExactly("Error: Topic 'no-such-topic' does not exist.");
        assertThat(describe.out()).isEmpty();

        Cli.Result consume = cli.run("consume", "--topic", "no-such-topic", "--max-messages", "1");
        assertThat(consume.exitCode()).as("%s", consume).isEqualTo(3);
        assertThat(consume.errLines()).containsExactly("Error: Topic 'no-such-topic' does not exist.");

        Cli.Result group = cli.run("groups", "describe", "--group", "no-such-group");
        assertThat(group.exitCode()).as("%s", group).isEqualTo(3);
        assertThat(group.errLines()).containsExactly("Error: Consumer group 'no-such-group' does not exist.");
    }

    /** Refusals the group-coordinator really sends (GroupJoiner's checks), each one line naming the group. */
    @Test
    void shouldFailOnOneLineNamingTheGroupWhenItsCoordinatorRefusesTheConsumer() {
        // longer than the group id column of the coordinator's store: INVALID_GROUP_ID
        String tooLong = "g".repeat(1025);
        Cli.Result invalidId = cli.run(
                "consume", "--topic", "singles", "--group", tooLong, "--from-beginning", "--idle-timeout", "60s");
        assertThat(invalidId.exitCode()).as("%s", invalidId).isEqualTo(4);
        assertThat(invalidId.errLines())
                .singleElement()
                .asString()
                .startsWith("Error: Consumer group '" + "g".repeat(64) + "... (1025 characters)': ")
                .endsWith("The group id is invalid.");
        assertThat(invalidId.out()).isEmpty();

        // above tributary.group.max-session-timeout (30 min): INVALID_SESSION_TIMEOUT
        Cli.Result longSession = cli.run(
                "consume",
                "--topic",
                "singles",
                "--group",
                "cli-long-session",
                "--consumer-property",
                "session.timeout.ms=3600000",
                "--idle-timeout",
                "60s");
        assertThat(longSession.exitCode()).as("%s", longSession).isEqualTo(4);
        assertThat(longSession.errLines())
                .singleElement()
                .asString()
                .startsWith("Error: Consumer group 'cli-long-session': The session timeout is not within the range");
    }

    @Test
    void shouldFailOnOneLineForAnUnreachableServer() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Cli.Result run =
                Cli.runExactly("", "topics", "list", "--bootstrap-server", "localhost:" + closed, "--timeout", "2s");
        assertThat(run.exitCode()).as("%s", run).isEqualTo(5);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("Error: No answer from the cluster at localhost:" + closed + " within 2s");
        assertThat(run.out()).isEmpty();

        Cli.Result cluster = Cli.runExactly("", "cluster", "--metadata-url", "http://localhost:" + closed);
        assertThat(cluster.exitCode()).as("%s", cluster).isEqualTo(5);
        assertThat(cluster.errLines()).hasSize(1);
    }

    @Test
    void shouldShowControllerBrokersAndEveryServicesHealth() {
        String groupCoordinator = "group-coordinator=http://localhost:"
                + cluster.service("group-coordinator-1").httpPort();
        Cli.Result table = cli.run("cluster", "--service", groupCoordinator);
        assertThat(table.exitCode()).as("%s", table).isZero();
        assertThat(table.out())
                .contains("Controller:       metadata-1 (controller epoch ")
                .contains("Live brokers:     3")
                .contains("Under-replicated partitions: ")
                .contains("Offline partitions:          none");
        assertThat(table.outLines())
                .anySatisfy(l -> assertThat(l).matches("metadata-service\\s+metadata-1 \\(controller\\).*UP"))
                .anySatisfy(l -> assertThat(l).matches("group-coordinator\\s+-.*UP"));

        JsonNode json = cli.run("cluster", "--output", "json", "--service", groupCoordinator)
                .json();
        assertThat(json.get("controller").asString()).isEqualTo("metadata-1");
        assertThat(json.get("controllerEpoch").asInt()).isPositive();
        assertThat(json.get("liveBrokers").asInt()).isEqualTo(3);
        List<String> brokers = new ArrayList<>();
        for (JsonNode service : json.get("services")) {
            assertThat(service.get("health").asString()).as("%s", service).isEqualTo("UP");
            if (service.get("service").asString().equals("broker")) {
                brokers.add(service.get("id").asString());
            }
        }
        assertThat(brokers).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(json.get("offlinePartitions")).isEmpty();
    }

    /** bin/tributary and the runnable jar, as a user runs them: quiet standard error, every codec there. */
    @Test
    void shouldProduceAndConsumeThroughTheLauncherScript() throws Exception {
        Path script = Path.of(System.getProperty("tributary.root", ".."))
                .resolve("bin/tributary")
                .toAbsolutePath();
        Launched produce = launch(
                script,
                "one\ntwo\n",
                "produce",
                "--topic",
                "launched",
                "--compression",
                "zstd",
                "--bootstrap-server",
                cluster.bootstrapServers());
        assertThat(produce.exitCode()).as("%s", produce).isZero();
        assertThat(produce.out()).isEqualTo("Produced 2 records to topic launched.\n");
        assertThat(produce.err()).isEmpty();

        Launched consume = launch(
                script,
                "",
                "consume",
                "--topic",
                "launched",
                "--from-beginning",
                "--idle-timeout",
                "5s",
                "--bootstrap-server",
                cluster.bootstrapServers());
        assertThat(consume.exitCode()).as("%s", consume).isZero();
        assertThat(consume.out().lines().toList()).containsExactly("one", "two");
        assertThat(consume.err().lines().toList()).singleElement().asString().startsWith("Processed a total of ");

        Launched unknown = launch(
                script,
                "",
                "topics",
                "describe",
                "--topic",
                "nowhere",
                "--bootstrap-server",
                cluster.bootstrapServers());
        assertThat(unknown.exitCode()).as("%s", unknown).isEqualTo(3);
        assertThat(unknown.err()).isEqualTo("Error: Topic 'nowhere' does not exist.\n");
    }

    record Launched(int exitCode, String out, String err) {}

    private static Launched launch(Path script, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        var out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        var err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("bin/tributary " + args[0] + " did not finish within 60 s");
        }
        return new Launched(process.exitValue(), out.get(), err.get());
    }

    private static String read(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long totalLag(String group) {
        JsonNode json = cli.run("groups", "describe", "--group", group, "--output", "json")
                .json();
        long lag = 0;
        for (JsonNode p : json.get("partitions")) {
            lag += p.get("lag").asLong();
        }
        return lag;
    }
}
