package io.tributary.cli.groups;

import io.tributary.cli.output.Table;
import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.ExitCodes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import picocli.CommandLine.Command;

/** {@code tributary groups list}: ListGroups through the AdminClient. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the consumer groups and their states.",
        footerHeading = "%nExamples:%n",
        footer = {"  tributary groups list", "  tributary groups list --output json"})
final class GroupList extends AdminCommand {

    @Override
    protected int run(Admin admin) {
        List<GroupListing> sorted = client.await(admin.listGroups().all()).stream()
                .sorted(Comparator.comparing(GroupListing::groupId))
                .toList();
        List<Map<String, Object>> json = new ArrayList<>();
        Table table = new Table("GROUP", "STATE", "PROTOCOL-TYPE");
        for (GroupListing g : sorted) {
            String state = g.groupState().map(Object::toString).orElse(null);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("group", g.groupId());
            row.put("state", state);
            row.put("protocolType", g.protocol());
            json.add(row);
            table.row(g.groupId(), state, g.protocol() == null || g.protocol().isEmpty() ? null : g.protocol());
        }
        output().print(json, table);
        return ExitCodes.OK;
    }
}
