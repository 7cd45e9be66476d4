package io.tributary.cli.groups;

import io.tributary.cli.output.Output;
import io.tributary.cli.output.Table;
import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.CliException;
import io.tributary.cli.support.DurationConverter;
import io.tributary.cli.support.ExitCodes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary groups reset-offsets}: computes new committed offsets for a group that has no
 * active members and, only with {@code --execute}, commits them (OffsetCommit through the
 * AdminClient). Without {@code --execute} it is a dry run that only prints the plan.
 */
@Command(
        name = "reset-offsets",
        mixinStandardHelpOptions = true,
        description = "Move a consumer group's committed offsets (the group must have no active members). "
                + "Prints the plan (dry run) unless --execute is given.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary groups reset-offsets --group billing --topic orders --to-earliest",
            "  tributary groups reset-offsets --group billing --topic orders --to-earliest --execute",
            "  tributary groups reset-offsets --group billing --topic orders:0,2 --to-offset 100 --execute",
            "  tributary groups reset-offsets --group billing --all-topics --shift-by -10 --execute",
            "  tributary groups reset-offsets --group billing --topic orders --to-datetime 2026-11-24T08:00:00Z --execute",
            "  tributary groups reset-offsets --group billing --topic orders --by-duration 1h --execute",
            "  tributary groups reset-offsets --group billing --all-topics --to-commit-time 2026-11-24T08:00:00Z --execute"
        })
final class GroupResetOffsets extends AdminCommand {

    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            required = true,
            description = "The group whose offsets move.")
    String group;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Scope scope;

    static final class Scope {
        @Option(
                names = {"-t", "--topic"},
                paramLabel = "TOPIC[:P,P...]",
                description = "A topic, all its partitions or the listed ones; repeatable.")
        List<String> topics;

        @Option(names = "--all-topics", description = "Every partition the group has a committed offset for.")
        boolean allTopics;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--to-earliest", description = "To the earliest offset still in the log.")
        boolean toEarliest;

        @Option(names = "--to-latest", description = "To the log end offset (skip everything now in the log).")
        boolean toLatest;

        @Option(names = "--to-offset", paramLabel = "OFFSET", description = "To this offset (kept within the log).")
        Long toOffset;

        @Option(
                names = "--to-datetime",
                paramLabel = "DATETIME",
                description = "To the first record at or after this time: 2026-11-24T08:00:00Z, "
                        + "2026-11-24T09:00:00+01:00, or local time 2026-11-24T08:00:00.")
        String toDatetime;

        @Option(
                names = "--by-duration",
                paramLabel = "DURATION",
                converter = DurationConverter.class,
                description = "To the first record at or after this long ago (30m, 2h, P1D).")
        Duration byDuration;

        @Option(
                names = "--to-commit-time",
                paramLabel = "DATETIME",
                description = "To the offsets the group had committed at this moment, from the group-coordinator's "
                        + "commit history (undoes commits made since): 2026-11-24T08:00:00Z, or as --to-datetime. "
                        + "With --topic, only that topic; a partition without a commit then loses its offset.")
        String toCommitTime;

        @Option(
                names = "--shift-by",
                paramLabel = "N",
                description = "Move the committed offset by N (negative: back).")
        Long shiftBy;
    }

    @ArgGroup(exclusive = true)
    Mode mode;

    static final class Mode {
        @Option(names = "--dry-run", description = "Only print the new offsets (the default).")
        boolean dryRun;

        @Option(names = "--execute", description = "Commit the new offsets.")
        boolean execute;
    }

    /** One row of the plan. */
    record Planned(String group, String topic, int partition, Long currentOffset, long newOffset) {}

    /** Where the offsets move, from the command line. */
    private OffsetReset reset;

    @Override
    protected void validate() {
        if (target.toCommitTime != null) {
            if (scope.topics != null
                    && (scope.topics.size() > 1 || scope.topics.get(0).contains(":"))) {
                throw new CliException(
                        ExitCodes.USAGE, "--to-commit-time takes one --topic without partitions, or --all-topics");
            }
            return;
        }
        reset = reset();
    }

    @Override
    protected int run(Admin admin) {
        boolean execute = mode != null && mode.execute;
        if (target.toCommitTime != null) {
            return CommitTimeReset.run(
                    client,
                    output(),
                    group,
                    scope.topics == null ? null : scope.topics.get(0),
                    Instant.ofEpochMilli(DateTimes.parseEpochMillis(target.toCommitTime, ZoneId.systemDefault())),
                    execute);
        }
        List<Planned> plan = new ArrayList<>();
        ConsumerGroupDescription description =
                Groups.describe(admin, client, group).orElse(null);
        if (description != null && !description.members().isEmpty()) {
            throw CliException.invalid("Offsets can only be reset while consumer group '" + group
                    + "' has no active members; it has "
                    + description.members().size() + " (state "
                    + description.groupState() + "). Stop its consumers first.");
        }
        if (description != null
                && description.groupState() != GroupState.EMPTY
                && description.groupState() != GroupState.DEAD) {
            throw CliException.invalid("Offsets can only be reset while consumer group '" + group
                    + "' is inactive; its state is " + description.groupState() + ".");
        }
        Map<TopicPartition, Long> committed = Groups.committed(admin, client, group);
        Set<TopicPartition> partitions = partitions(admin, committed);
        Map<TopicPartition, Long> earliest = Groups.offsets(admin, client, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = Groups.offsets(admin, client, partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> atTime = new HashMap<>();
        if (reset instanceof OffsetReset.ToTimestamp t) {
            atTime.putAll(Groups.offsets(admin, client, partitions, OffsetSpec.forTimestamp(t.epochMillis())));
            atTime.values().removeIf(offset -> offset == null || offset < 0);
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            long newOffset = reset.newOffset(
                    tp.toString(),
                    new OffsetReset.Offsets(earliest.get(tp), latest.get(tp), committed.get(tp), atTime.get(tp)));
            plan.add(new Planned(group, tp.topic(), tp.partition(), committed.get(tp), newOffset));
            commit.put(tp, new OffsetAndMetadata(newOffset));
        }
        if (execute && !commit.isEmpty()) {
            client.await(admin.alterConsumerGroupOffsets(group, commit).all());
        }
        Output out = output();
        if (out.isJson()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("group", group);
            json.put("executed", execute);
            json.put("partitions", plan);
            out.json(json);
            return ExitCodes.OK;
        }
        Table table = new Table("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET");
        plan.forEach(p -> table.row(p.group(), p.topic(), p.partition(), p.currentOffset(), p.newOffset()));
        out.table(table);
        if (!execute) {
            out.line("");
            out.line("Dry run: nothing was changed. Add --execute to commit these offsets.");
        }
        return ExitCodes.OK;
    }

    private OffsetReset reset() {
        if (target.toEarliest) {
            return new OffsetReset.ToEarliest();
        }
        if (target.toLatest) {
            return new OffsetReset.ToLatest();
        }
        if (target.toOffset != null) {
            return new OffsetReset.ToOffset(target.toOffset);
        }
        if (target.shiftBy != null) {
            return new OffsetReset.ShiftBy(target.shiftBy);
        }
        if (target.byDuration != null) {
            return new OffsetReset.ToTimestamp(Clock.systemUTC().millis() - target.byDuration.toMillis());
        }
        return new OffsetReset.ToTimestamp(DateTimes.parseEpochMillis(target.toDatetime, ZoneId.systemDefault()));
    }

    private Set<TopicPartition> partitions(Admin admin, Map<TopicPartition, Long> committed) {
        Set<TopicPartition> partitions =
                new TreeSet<>(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        if (scope.allTopics) {
            partitions.addAll(committed.keySet());
            return partitions;
        }
        Map<String, List<Integer>> requested = new LinkedHashMap<>();
        for (String spec : scope.topics) {
            int colon = spec.indexOf(':');
            String topic = colon < 0 ? spec : spec.substring(0, colon);
            List<Integer> ids = new ArrayList<>();
            if (colon >= 0) {
                for (String id : spec.substring(colon + 1).split(",")) {
                    try {
                        ids.add(Integer.parseInt(id.strip()));
                    } catch (NumberFormatException e) {
                        throw new CliException(
                                ExitCodes.USAGE, "--topic " + spec + ": '" + id + "' is not a partition");
                    }
                }
            }
            requested.computeIfAbsent(topic, t -> new ArrayList<>()).addAll(ids);
        }
        Map<String, TopicDescription> topics;
        try {
            topics = client.await(admin.describeTopics(requested.keySet()).allTopicNames());
        } catch (UnknownTopicOrPartitionException e) {
            throw CliException.notFound("Topic "
                    + (requested.size() == 1
                            ? "'" + requested.keySet().iterator().next() + "'"
                            : "in " + requested.keySet())
                    + " does not exist.");
        }
        requested.forEach((topic, ids) -> {
            int count = topics.get(topic).partitions().size();
            if (ids.isEmpty()) {
                for (int p = 0; p < count; p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            }
            for (int p : ids) {
                if (p < 0 || p >= count) {
                    throw CliException.notFound(
                            "Topic '" + topic + "' has no partition " + p + " (it has " + count + ").");
                }
                partitions.add(new TopicPartition(topic, p));
            }
        });
        return partitions;
    }
}
