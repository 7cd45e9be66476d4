package io.tributary.cli.topics;

import io.tributary.cli.output.Output;
import io.tributary.cli.support.ClientOptions;
import io.tributary.cli.support.ExitCodes;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tributary topics list}: topic names, one a line, sorted. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the topics, one a line.",
        footerHeading = "%nExamples:%n",
        footer = {"  tributary topics list", "  tributary topics list --output json"})
final class TopicList implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        List<String> names;
        try (Admin admin = client.admin()) {
            names = client
                    .await(admin.listTopics(new ListTopicsOptions().listInternal(true))
                            .names())
                    .stream()
                    .sorted()
                    .toList();
        }
        Output out = client.output(spec);
        if (out.isJson()) {
            out.json(names);
        } else {
            names.forEach(out.writer()::println);
            out.writer().flush();
        }
        return ExitCodes.OK;
    }
}
