package io.tributary.cli.groups;

import picocli.CommandLine.Command;

/** {@code tributary groups}: the consumer-group verbs, after {@code kafka-consumer-groups}. */
@Command(
        name = "groups",
        mixinStandardHelpOptions = true,
        description = "List, describe, show the commit history of, reset the offsets of, and delete consumer groups.",
        subcommands = {
            GroupList.class,
            GroupDescribe.class,
            GroupHistory.class,
            GroupResetOffsets.class,
            GroupDelete.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary groups list",
            "  tributary groups describe --group billing",
            "  tributary groups reset-offsets --group billing --topic orders --to-earliest            # dry run",
            "  tributary groups reset-offsets --group billing --topic orders --to-earliest --execute",
            "  tributary groups history --group billing --since 1h",
            "  tributary groups reset-offsets --group billing --all-topics --to-commit-time 2026-11-24T08:00:00Z",
            "  tributary groups delete --group billing"
        })
public final class GroupsCommand {}
