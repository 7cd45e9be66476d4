package io.tributary.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.it.TributaryCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 8: {@code tributary topics create|alter|delete} through the AdminClient (CreateTopics,
 * CreatePartitions, IncrementalAlterConfigs, DescribeConfigs, DeleteTopics forwarded by the brokers
 * to the metadata-service), and the README demo as a new user types it.
 */
class TopicsCliIT {

    private static TributaryCluster cluster;
    private static Cli cli;

    @BeforeAll
    static void startCluster() {
        cluster = Cli.startCluster();
        cli = new Cli(cluster);
    }

    @Test
    void shouldCreateDescribeAlterAndDeleteATopic() {
        Cli.Result create = cli.run(
                "topics",
                "create",
                "--topic",
                "orders",
                "--partitions",
                "3",
                "--replication-factor",
                "2",
                "--config",
                "retention.ms=86400000");
        assertThat(create.exitCode()).as("%s", create).isZero();
        assertThat(create.out()).isEqualTo("Created topic orders.\n");

        JsonNode described = describeJson("orders", 3);
        assertThat(described.get("replicationFactor").asInt()).isEqualTo(2);
        assertThat(described.get("configs").get("retention.ms").asString()).isEqualTo("86400000");
        Cli.Result table = cli.run("topics", "describe", "--topic", "orders");
        assertThat(table.outLines())
                .anySatisfy(l -> assertThat(l).matches("orders\\s+\\S+\\s+3\\s+2\\s+retention.ms=86400000"));

        Cli.Result alter = cli.run(
                "topics", "alter", "--topic", "orders", "--partitions", "5", "--config", "retention.ms=3600000");
        assertThat(alter.exitCode()).as("%s", alter).isZero();
        assertThat(alter.outLines())
                .containsExactly("Topic orders now has 5 partitions.", "Updated the configs of topic orders.");
        JsonNode altered = describeJson("orders", 5);
        assertThat(altered.get("configs").get("retention.ms").asString()).isEqualTo("3600000");

        Cli.Result shrink = cli.run("topics", "alter", "--topic", "orders", "--partitions", "2");
        assertThat(shrink.exitCode()).as("%s", shrink).isEqualTo(4);
        assertThat(shrink.errLines()).hasSize(1);

        Cli.Result delete = cli.run("topics", "delete", "--topic", "orders");
        assertThat(delete.exitCode()).as("%s", delete).isZero();
        assertThat(delete.out()).isEqualTo("Deleted topic orders.\n");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(cli.run("topics", "list").outLines()).doesNotContain("orders"));

        Cli.Result again = cli.run("topics", "delete", "--topic", "orders");
        assertThat(again.exitCode()).as("%s", again).isEqualTo(3);
        assertThat(again.errLines()).containsExactly("Error: Topic 'orders' does not exist.");
        assertThat(cli.run("topics", "delete", "--topic", "orders", "--if-exists")
                        .exitCode())
                .isZero();
    }

    @Test
    void shouldRefuseAnExistingTopicUnlessIfNotExists() {
        assertThat(cli.run("topics", "create", "--topic", "twice", "--partitions", "1")
                        .exitCode())
                .isZero();

        Cli.Result again = cli.run("topics", "create", "--topic", "twice", "--partitions", "1");
        assertThat(again.exitCode()).as("%s", again).isEqualTo(4);
        assertThat(again.errLines()).containsExactly("Error: Topic 'twice' already exists.");

        Cli.Result tolerated = cli.run("topics", "create", "--topic", "twice", "--if-not-exists");
        assertThat(tolerated.exitCode()).as("%s", tolerated).isZero();
        assertThat(tolerated.out()).isEqualTo("Topic twice already exists.\n");
    }

    @Test
    void shouldFailOnOneLineForABadReplicationFactor() {
        Cli.Result run = cli.run(
                "topics", "create", "--topic", "too-many-replicas", "--partitions", "1", "--replication-factor", "5");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(4);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("Error: ")
                .doesNotContain("Exception");
        assertThat(run.out()).isEmpty();
        assertThat(cli.run("topics", "list").outLines()).doesNotContain("too-many-replicas");
    }

    @Test
    void shouldFailOnOneLineForAnUnknownTopic() {
        Cli.Result alter = cli.run("topics", "alter", "--topic", "ghost", "--partitions", "4");
        assertThat(alter.exitCode()).as("%s", alter).isEqualTo(3);
        assertThat(alter.errLines()).containsExactly("Error: Topic 'ghost' does not exist.");
    }

    /** The README's demo, command for command (the cluster's addresses stand in for the defaults). */
    @Test
    void shouldRunTheReadmeDemo() {
        Cli.Result create =
                cli.run("topics", "create", "--topic", "demo", "--partitions", "3", "--replication-factor", "2");
        assertThat(create.exitCode()).as("%s", create).isZero();

        Cli.Result describe = cli.run("topics", "describe", "--topic", "demo");
        assertThat(describe.exitCode()).as("%s", describe).isZero();
        assertThat(describe.outLines())
                .filteredOn(l -> l.matches("demo\\s+\\d+\\s+\\d+\\s+[\\d,]+\\s+[\\d,]+"))
                .hasSize(3);

        Cli.Result produce = cli.runWithInput(
                "alice:hello\nbob:world\nalice:again\n",
                "produce",
                "--topic",
                "demo",
                "--property",
                "parse.key=true",
                "--property",
                "key.separator=:");
        assertThat(produce.exitCode()).as("%s", produce).isZero();

        Cli.Result consume = cli.run(
                "consume",
                "--topic",
                "demo",
                "--group",
                "demo-readers",
                "--from-beginning",
                "--print-key",
                "--max-messages",
                "3");
        assertThat(consume.exitCode()).as("%s", consume).isZero();
        assertThat(consume.outLines()).containsExactlyInAnyOrder("alice\thello", "bob\tworld", "alice\tagain");

        Cli.Result group = cli.run("groups", "describe", "--group", "demo-readers");
        assertThat(group.exitCode()).as("%s", group).isZero();
        List<String> lags = new ArrayList<>();
        group.outLines().stream().filter(l -> l.startsWith("demo-readers ")).forEach(l -> lags.add(l.split("\\s+")[5]));
        assertThat(lags).hasSize(3).containsOnly("0");
    }

    private static JsonNode describeJson(String topic, int partitions) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Cli.Result run = cli.run("topics", "describe", "--topic", topic, "--output", "json");
            assertThat(run.exitCode()).as("%s", run).isZero();
            found[0] = run.json().get(0);
            assertThat(found[0].get("partitionCount").asInt()).isEqualTo(partitions);
            for (JsonNode p : found[0].get("partitions")) {
                assertThat(p.get("leader").isNull()).isFalse();
            }
        });
        return found[0];
    }
}
