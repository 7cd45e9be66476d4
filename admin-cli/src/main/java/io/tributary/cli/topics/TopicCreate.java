package io.tributary.cli.topics;

import io.tributary.cli.output.Output;
import io.tributary.cli.support.CliException;
import io.tributary.cli.support.ClientOptions;
import io.tributary.cli.support.ExitCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary topics create}: CreateTopics through the AdminClient. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Create a topic.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary topics create --topic orders --partitions 3 --replication-factor 2",
            "  tributary topics create --topic audit --config retention.ms=604800000 --config cleanup.policy=delete",
            "  tributary topics create --topic orders --if-not-exists   # no error if it exists"
        })
final class TopicCreate implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(
            names = {"-t", "--topic"},
            paramLabel = "TOPIC",
            required = true,
            description = "The topic to create.")
    String topic;

    @Option(
            names = {"-p", "--partitions"},
            paramLabel = "N",
            description = "Number of partitions (default: the cluster's num.partitions).")
    Integer partitions;

    @Option(
            names = {"-r", "--replication-factor"},
            paramLabel = "R",
            description = "Replicas per partition (default: the cluster's default.replication.factor).")
    Short replicationFactor;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "KEY=VALUE",
            description = "A topic config override; repeatable.")
    Map<String, String> configs = new LinkedHashMap<>();

    @Option(names = "--if-not-exists", description = "Succeed without change if the topic already exists.")
    boolean ifNotExists;

    @Override
    public Integer call() {
        NewTopic newTopic = new NewTopic(topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                .configs(configs);
        Output out = client.output(spec);
        boolean created;
        try (Admin admin = client.admin()) {
            client.await(admin.createTopics(List.of(newTopic)).all());
            created = true;
        } catch (TopicExistsException e) {
            if (!ifNotExists) {
                throw CliException.invalid("Topic '" + topic + "' already exists.");
            }
            created = false;
        }
        if (out.isJson()) {
            out.json(Map.of("topic", topic, "created", created));
        } else {
            out.line(created ? "Created topic " + topic + "." : "Topic " + topic + " already exists.");
        }
        return ExitCodes.OK;
    }
}
