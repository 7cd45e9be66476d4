package io.tributary.cli.topics;

import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.CliException;
import io.tributary.cli.support.ExitCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
final class TopicCreate extends AdminCommand {

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
    protected int run(Admin admin) {
        NewTopic newTopic = new NewTopic(topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                .configs(configs);
        boolean created = awaitUnless(
                admin.createTopics(List.of(newTopic)).all(),
                TopicExistsException.class,
                ifNotExists,
                () -> CliException.invalid("Topic '" + topic + "' already exists."));
        output().print(
                        Map.of("topic", topic, "created", created),
                        created ? "Created topic " + topic + "." : "Topic " + topic + " already exists.");
        return ExitCodes.OK;
    }
}
