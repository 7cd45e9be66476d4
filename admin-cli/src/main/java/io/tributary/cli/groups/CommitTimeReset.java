package io.tributary.cli.groups;

import io.tributary.cli.output.Output;
import io.tributary.cli.output.Table;
import io.tributary.cli.support.ClientOptions;
import io.tributary.cli.support.ExitCodes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code groups reset-offsets --to-commit-time}: asks the group-coordinator
 * ({@code POST /api/groups/{group}/offsets/reset}) to restore the group's committed offsets as they
 * were at that moment, from its commit history. The coordinator refuses a group with active members.
 */
final class CommitTimeReset {

    private CommitTimeReset() {}

    static int run(ClientOptions client, Output out, String group, String topic, Instant at, boolean execute) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("toCommitTime", at.toString());
        request.put("topic", topic);
        request.put("execute", execute);
        JsonNode body = GroupRest.client(client)
                .post(
                        GroupRest.groupUrl(client, group) + "/offsets/reset",
                        request,
                        Map.of("Client-Id", GroupRest.CLIENT_ID));
        if (out.isJson()) {
            out.json(body);
            return ExitCodes.OK;
        }
        Table table =
                new Table("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET", "COMMITTED-AT", "CLIENT-ID");
        for (JsonNode p : body.path("partitions")) {
            JsonNode newOffset = p.path("newOffset");
            table.row(
                    group,
                    p.path("topic").asString(),
                    p.path("partition").asInt(),
                    p.path("currentOffset").isNumber() ? p.path("currentOffset").asLong() : null,
                    newOffset.isNumber() ? Long.toString(newOffset.asLong()) : "(deleted)",
                    p.path("commitTime").isString() ? p.path("commitTime").asString() : null,
                    GroupRest.orNull(p.path("clientId").asString("")));
        }
        out.table(table);
        out.line("");
        out.line(
                execute
                        ? "Offsets reset to the group's positions at " + at + "."
                        : "Dry run: nothing was changed. Add --execute to commit these offsets.");
        return ExitCodes.OK;
    }
}
