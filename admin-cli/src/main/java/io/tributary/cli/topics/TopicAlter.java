package io.tributary.cli.topics;

import io.tributary.cli.output.Output;
import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.CliException;
import io.tributary.cli.support.ExitCodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary topics alter}: more partitions (CreatePartitions) and config overrides set or
 * removed (IncrementalAlterConfigs), through the AdminClient.
 */
@Command(
        name = "alter",
        mixinStandardHelpOptions = true,
        description = "Increase a topic's partition count, or set and remove its config overrides.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary topics alter --topic orders --partitions 6",
            "  tributary topics alter --topic orders --config retention.ms=86400000 --delete-config cleanup.policy"
        })
final class TopicAlter extends AdminCommand {

    @Option(
            names = {"-t", "--topic"},
            paramLabel = "TOPIC",
            required = true,
            description = "The topic to change.")
    String topic;

    @Option(
            names = {"-p", "--partitions"},
            paramLabel = "N",
            description = "The new partition count; it can only grow (keys move to other partitions).")
    Integer partitions;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "KEY=VALUE",
            description = "A config override to set; repeatable.")
    Map<String, String> configs = new LinkedHashMap<>();

    @Option(names = "--delete-config", paramLabel = "KEY", description = "A config override to remove; repeatable.")
    List<String> deleteConfigs = new ArrayList<>();

    @Option(names = "--if-exists", description = "Succeed without change if the topic does not exist.")
    boolean ifExists;

    @Override
    protected void validate() {
        if (partitions == null && configs.isEmpty() && deleteConfigs.isEmpty()) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "Nothing to change: give --partitions, --config or --delete-config (see 'tributary topics alter --help')");
        }
    }

    @Override
    protected int run(Admin admin) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("topic", topic);
        List<String> lines = new ArrayList<>();
        try {
            if (partitions != null) {
                client.await(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions)))
                        .all());
                result.put("partitions", partitions);
                lines.add("Topic " + topic + " now has " + partitions + " partitions.");
            }
            if (!configs.isEmpty() || !deleteConfigs.isEmpty()) {
                List<AlterConfigOp> ops = new ArrayList<>();
                configs.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
                deleteConfigs.forEach(
                        k -> ops.add(new AlterConfigOp(new ConfigEntry(k, null), AlterConfigOp.OpType.DELETE)));
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                client.await(
                        admin.incrementalAlterConfigs(Map.of(resource, ops)).all());
                result.put("set", configs);
                result.put("deleted", deleteConfigs);
                lines.add("Updated the configs of topic " + topic + ".");
            }
        } catch (UnknownTopicOrPartitionException e) {
            if (!ifExists) {
                throw CliException.notFound("Topic '" + topic + "' does not exist.");
            }
            result.put("exists", false);
            lines = List.of("Topic " + topic + " does not exist.");
        }
        Output out = output();
        if (out.isJson()) {
            out.json(result);
        } else {
            lines.forEach(out::line);
        }
        return ExitCodes.OK;
    }
}
