package io.tributary.cli.topics;

import io.tributary.cli.output.Output;
import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.ExitCodes;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import picocli.CommandLine.Command;

/** {@code tributary topics list}: topic names, one a line, sorted. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the topics, one a line.",
        footerHeading = "%nExamples:%n",
        footer = {"  tributary topics list", "  tributary topics list --output json"})
final class TopicList extends AdminCommand {

    @Override
    protected int run(Admin admin) {
        List<String> names = client
                .await(admin.listTopics(new ListTopicsOptions().listInternal(true))
                        .names())
                .stream()
                .sorted()
                .toList();
        Output out = output();
        if (out.isJson()) {
            out.json(names);
        } else {
            names.forEach(out.writer()::println);
            out.writer().flush();
        }
        return ExitCodes.OK;
    }
}
