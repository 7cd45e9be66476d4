package io.tributary.cli.topics;

import io.tributary.cli.output.Output;
import io.tributary.cli.support.CliException;
import io.tributary.cli.support.ClientOptions;
import io.tributary.cli.support.ExitCodes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary topics delete}: DeleteTopics through the AdminClient. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Delete a topic and all its records.",
        footerHeading = "%nExamples:%n",
        footer = {"  tributary topics delete --topic orders", "  tributary topics delete --topic orders --if-exists"})
final class TopicDelete implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(
            names = {"-t", "--topic"},
            paramLabel = "TOPIC",
            required = true,
            description = "The topic to delete.")
    String topic;

    @Option(names = "--if-exists", description = "Succeed without change if the topic does not exist.")
    boolean ifExists;

    @Override
    public Integer call() {
        boolean deleted;
        try (Admin admin = client.admin()) {
            client.await(admin.deleteTopics(List.of(topic)).all());
            deleted = true;
        } catch (UnknownTopicOrPartitionException e) {
            if (!ifExists) {
                throw CliException.notFound("Topic '" + topic + "' does not exist.");
            }
            deleted = false;
        }
        Output out = client.output(spec);
        if (out.isJson()) {
            out.json(Map.of("topic", topic, "deleted", deleted));
        } else {
            out.line(deleted ? "Deleted topic " + topic + "." : "Topic " + topic + " does not exist.");
        }
        return ExitCodes.OK;
    }
}
