package io.tributary.cli.groups;

import io.tributary.cli.output.Output;
import io.tributary.cli.output.Table;
import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.CliException;
import io.tributary.cli.support.ExitCodes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary groups describe}: per partition the committed offset, the log end offset, the
 * lag between them and the member it is assigned to (DescribeGroups, OffsetFetch and ListOffsets
 * through the AdminClient).
 */
@Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        description = "Describe a consumer group: per partition the current (committed) offset, the log end offset, "
                + "the lag and the member consuming it.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary groups describe --group billing",
            "  tributary groups describe --group billing --output json"
        })
final class GroupDescribe extends AdminCommand {

    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            required = true,
            description = "The group to describe.")
    String group;

    /** One row; {@code currentOffset}/{@code lag} null without a committed offset, member fields null when unassigned. */
    record PartitionLag(
            String group,
            String topic,
            int partition,
            Long currentOffset,
            Long logEndOffset,
            Long lag,
            String consumerId,
            String host,
            String clientId) {}

    @Override
    protected int run(Admin admin) {
        ConsumerGroupDescription description =
                Groups.describe(admin, client, group).orElse(null);
        Map<TopicPartition, Long> committed = Groups.committed(admin, client, group);
        if (description == null && committed.isEmpty()) {
            throw CliException.notFound("Consumer group '" + group + "' does not exist.");
        }
        Map<TopicPartition, MemberDescription> owners = new HashMap<>();
        if (description != null) {
            for (MemberDescription member : description.members()) {
                member.assignment().topicPartitions().forEach(tp -> owners.put(tp, member));
            }
        }
        Set<TopicPartition> partitions =
                new TreeSet<>(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        partitions.addAll(committed.keySet());
        partitions.addAll(owners.keySet());
        Map<TopicPartition, Long> logEnd = Groups.offsets(admin, client, partitions, OffsetSpec.latest());
        List<PartitionLag> rows = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long current = committed.get(tp);
            Long end = logEnd.get(tp);
            MemberDescription member = owners.get(tp);
            rows.add(new PartitionLag(
                    group,
                    tp.topic(),
                    tp.partition(),
                    current,
                    end,
                    current == null || end == null ? null : Math.max(0, end - current),
                    member == null ? null : member.consumerId(),
                    member == null ? null : member.host(),
                    member == null ? null : member.clientId()));
        }
        print(description, rows);
        return ExitCodes.OK;
    }

    private void print(ConsumerGroupDescription description, List<PartitionLag> rows) {
        Output out = output();
        String state = description == null ? "Empty" : description.groupState().toString();
        int members = description == null ? 0 : description.members().size();
        if (out.isJson()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("group", group);
            json.put("state", state);
            json.put(
                    "coordinator",
                    description == null || description.coordinator() == null
                            ? null
                            : description.coordinator().id());
            json.put("members", members);
            json.put("partitions", rows);
            out.json(json);
            return;
        }
        if (members == 0) {
            out.line("Consumer group '" + group + "' has no active members.");
            out.line("");
        }
        Table table = new Table(
                "GROUP",
                "TOPIC",
                "PARTITION",
                "CURRENT-OFFSET",
                "LOG-END-OFFSET",
                "LAG",
                "CONSUMER-ID",
                "HOST",
                "CLIENT-ID");
        for (PartitionLag r : rows) {
            table.row(
                    r.group(),
                    r.topic(),
                    r.partition(),
                    r.currentOffset(),
                    r.logEndOffset(),
                    r.lag(),
                    r.consumerId(),
                    r.host(),
                    r.clientId());
        }
        out.table(table);
    }
}
