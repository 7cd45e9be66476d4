package io.tributary.cli.topics;

import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.CliException;
import io.tributary.cli.support.ExitCodes;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary topics delete}: DeleteTopics through the AdminClient. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Delete a topic and all its records.",
        footerHeading = "%nExamples:%n",
        footer = {"  tributary topics delete --topic orders", "  tributary topics delete --topic orders --if-exists"})
final class TopicDelete extends AdminCommand {

    @Option(
            names = {"-t", "--topic"},
            paramLabel = "TOPIC",
            required = true,
            description = "The topic to delete.")
    String topic;

    @Option(names = "--if-exists", description = "Succeed without change if the topic does not exist.")
    boolean ifExists;

    @Override
    protected int run(Admin admin) {
        boolean deleted = awaitUnless(
                admin.deleteTopics(List.of(topic)).all(),
                UnknownTopicOrPartitionException.class,
                ifExists,
                () -> CliException.notFound("Topic '" + topic + "' does not exist."));
        output().print(
                        Map.of("topic", topic, "deleted", deleted),
                        deleted ? "Deleted topic " + topic + "." : "Topic " + topic + " does not exist.");
        return ExitCodes.OK;
    }
}
