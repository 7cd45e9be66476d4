package io.tributary.cli.topics;

import io.tributary.cli.output.Output;
import io.tributary.cli.output.Table;
import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.CliException;
import io.tributary.cli.support.ExitCodes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary topics describe}: each topic's id, partition count, replication factor and
 * config overrides, then per partition the leader, the replicas and the ISR (Metadata and
 * DescribeConfigs through the AdminClient).
 */
@Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        description = "Describe topics: per partition the leader, replicas and in-sync replicas (ISR).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary topics describe --topic orders",
            "  tributary topics describe                                 # every topic",
            "  tributary topics describe --under-replicated-partitions   # ISR smaller than the replicas",
            "  tributary topics describe --unavailable-partitions        # no live leader",
            "  tributary topics describe --topic orders --output json"
        })
final class TopicDescribe extends AdminCommand {

    @Option(
            names = {"-t", "--topic"},
            paramLabel = "TOPIC",
            description = "The topic to describe; repeatable; default: all topics.")
    List<String> topics = new ArrayList<>();

    @Option(
            names = "--under-replicated-partitions",
            description = "Only partitions whose ISR is smaller than their replica set.")
    boolean underReplicated;

    @Option(names = "--unavailable-partitions", description = "Only partitions without a live leader.")
    boolean unavailable;

    /** A partition as printed. {@code leader} is {@code null} when there is none. */
    record PartitionView(String topic, int partition, Integer leader, List<Integer> replicas, List<Integer> isr) {}

    /** A topic as printed; {@code configs} is {@code null} when the cluster does not serve DescribeConfigs. */
    record TopicView(
            String name,
            String topicId,
            int partitionCount,
            int replicationFactor,
            Map<String, String> configs,
            List<PartitionView> partitions) {}

    @Override
    protected int run(Admin admin) {
        Collection<String> names = topics.isEmpty()
                ? client.await(admin.listTopics().names()).stream().sorted().toList()
                : topics;
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = client.await(admin.describeTopics(names).allTopicNames());
        } catch (UnknownTopicOrPartitionException e) {
            throw CliException.notFound(
                    names.size() == 1
                            ? "Topic '" + names.iterator().next() + "' does not exist."
                            : "One of the topics " + names + " does not exist.");
        }
        Set<Integer> liveBrokers = client.await(admin.describeCluster().nodes()).stream()
                .map(Node::id)
                .collect(Collectors.toSet());
        Map<String, Map<String, String>> configs = filtering() ? Map.of() : configs(admin, names);
        List<TopicView> views = new ArrayList<>();
        for (String name : names) {
            views.add(view(descriptions.get(name), configs.get(name)));
        }
        Output out = output();
        if (filtering()) {
            List<PartitionView> partitions = views.stream()
                    .flatMap(t -> t.partitions().stream())
                    .filter(p ->
                            !underReplicated || p.isr().size() < p.replicas().size())
                    .filter(p -> !unavailable || p.leader() == null || !liveBrokers.contains(p.leader()))
                    .toList();
            if (out.isJson()) {
                out.json(partitions);
            } else {
                partitionTable(partitions).print(out.writer());
            }
            return ExitCodes.OK;
        }
        if (out.isJson()) {
            out.json(views);
            return ExitCodes.OK;
        }
        Table summary = new Table("TOPIC", "TOPIC-ID", "PARTITIONS", "REPLICATION-FACTOR", "CONFIGS");
        for (TopicView t : views) {
            summary.row(
                    t.name(),
                    t.topicId(),
                    t.partitionCount(),
                    t.replicationFactor(),
                    t.configs() == null
                            ? "?"
                            : t.configs().entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .collect(Collectors.joining(",")));
        }
        summary.print(out.writer());
        out.line("");
        partitionTable(views.stream().flatMap(t -> t.partitions().stream()).toList())
                .print(out.writer());
        return ExitCodes.OK;
    }

    private boolean filtering() {
        return underReplicated || unavailable;
    }

    private static Table partitionTable(List<PartitionView> partitions) {
        Table table = new Table("TOPIC", "PARTITION", "LEADER", "REPLICAS", "ISR");
        for (PartitionView p : partitions) {
            table.row(
                    p.topic(),
                    p.partition(),
                    p.leader() == null ? "none" : p.leader(),
                    join(p.replicas()),
                    join(p.isr()));
        }
        return table;
    }

    private static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static TopicView view(TopicDescription description, Map<String, String> configs) {
        List<PartitionView> partitions = description.partitions().stream()
                .sorted(Comparator.comparingInt(TopicPartitionInfo::partition))
                .map(p -> new PartitionView(
                        description.name(),
                        p.partition(),
                        p.leader() == null || p.leader().isEmpty()
                                ? null
                                : p.leader().id(),
                        ids(p.replicas()),
                        ids(p.isr())))
                .toList();
        int replicationFactor =
                partitions.isEmpty() ? 0 : partitions.get(0).replicas().size();
        return new TopicView(
                description.name(),
                description.topicId() == null ? null : description.topicId().toString(),
                partitions.size(),
                replicationFactor,
                configs,
                partitions);
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    /** The overrides (not the defaults) of each topic, or an empty map where DescribeConfigs is not served yet. */
    private Map<String, Map<String, String>> configs(Admin admin, Collection<String> names) {
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                .toList();
        Map<ConfigResource, Config> configs;
        try {
            configs = client.await(admin.describeConfigs(resources).all());
        } catch (UnsupportedVersionException e) {
            return Map.of();
        }
        Map<String, Map<String, String>> byTopic = new LinkedHashMap<>();
        configs.forEach((resource, config) -> {
            Map<String, String> overrides = new TreeMap<>();
            for (ConfigEntry entry : config.entries()) {
                if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && entry.value() != null) {
                    overrides.put(entry.name(), entry.value());
                }
            }
            byTopic.put(resource.name(), overrides);
        });
        return byTopic;
    }
}
