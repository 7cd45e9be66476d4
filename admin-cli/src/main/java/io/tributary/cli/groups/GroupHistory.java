package io.tributary.cli.groups;

import io.tributary.cli.output.Output;
import io.tributary.cli.output.Table;
import io.tributary.cli.support.ClientOptions;
import io.tributary.cli.support.DurationConverter;
import io.tributary.cli.support.ExitCodes;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code tributary groups history}: the group's offset commits as the group-coordinator keeps them
 * ({@code GET /api/groups/{group}/offsets/history}), each with its time, member and client id.
 */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "Show a consumer group's offset commits (time, offset, member and client id), oldest first, "
                + "from the group-coordinator's commit history (kept for offsets-history-retention, 7 days).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary groups history --group billing",
            "  tributary groups history --group billing --topic orders --since 1h",
            "  tributary groups history --group billing --since 30m --output json"
        })
final class GroupHistory implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            required = true,
            description = "The group.")
    String group;

    @Option(
            names = {"-t", "--topic"},
            paramLabel = "TOPIC",
            description = "Only this topic's commits.")
    String topic;

    @Option(
            names = "--since",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Only the commits of this last while (30m, 1h, P1D). Default: all the history keeps.")
    Duration since;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "1000",
            description = "At most the N most recent commits (1 to 10000). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public Integer call() {
        StringBuilder url = new StringBuilder(GroupRest.groupUrl(client, group))
                .append("/offsets/history?limit=")
                .append(limit);
        if (topic != null) {
            url.append("&topic=").append(GroupRest.encode(topic));
        }
        if (since != null) {
            url.append("&since=").append(Clock.systemUTC().instant().minus(since));
        }
        JsonNode body = GroupRest.client(client).get(url.toString());
        Output out = client.output(spec);
        if (out.isJson()) {
            out.json(body);
            return ExitCodes.OK;
        }
        Table table =
                new Table("COMMIT-TIME", "TOPIC", "PARTITION", "OFFSET", "LEADER-EPOCH", "MEMBER-ID", "CLIENT-ID");
        for (JsonNode commit : body.path("commits")) {
            table.row(
                    commit.path("commitTime").asString(),
                    commit.path("topic").asString(),
                    commit.path("partition").asInt(),
                    commit.path("offset").asLong(),
                    commit.path("leaderEpoch").asInt(),
                    GroupRest.orNull(commit.path("memberId").asString("")),
                    GroupRest.orNull(commit.path("clientId").asString("")));
        }
        if (table.size() == 0) {
            out.line("No commits of group '" + group + "'" + (topic == null ? "" : " to topic '" + topic + "'")
                    + " since " + body.path("since").asString() + ".");
        } else {
            out.table(table);
        }
        return ExitCodes.OK;
    }
}
