package io.tributary.cli.groups;

import io.tributary.cli.output.Output;
import io.tributary.cli.output.Table;
import io.tributary.cli.support.ClientOptions;
import io.tributary.cli.support.ExitCodes;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tributary groups list}: ListGroups through the AdminClient. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the consumer groups and their states.",
        footerHeading = "%nExamples:%n",
        footer = {"  tributary groups list", "  tributary groups list --output json"})
final class GroupList implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        Collection<GroupListing> groups;
        try (Admin admin = client.admin()) {
            groups = client.await(admin.listGroups().all());
        }
        List<GroupListing> sorted = groups.stream()
                .sorted(Comparator.comparing(GroupListing::groupId))
                .toList();
        Output out = client.output(spec);
        if (out.isJson()) {
            out.json(sorted.stream()
                    .map(g -> {
                        Map<String, Object> json = new LinkedHashMap<>();
                        json.put("group", g.groupId());
                        json.put("state", g.groupState().map(Object::toString).orElse(null));
                        json.put("protocolType", g.protocol());
                        return json;
                    })
                    .toList());
            return ExitCodes.OK;
        }
        Table table = new Table("GROUP", "STATE", "PROTOCOL-TYPE");
        for (GroupListing g : sorted) {
            table.row(
                    g.groupId(),
                    g.groupState().map(Object::toString).orElse(null),
                    g.protocol() == null || g.protocol().isEmpty() ? null : g.protocol());
        }
        out.table(table);
        return ExitCodes.OK;
    }
}
