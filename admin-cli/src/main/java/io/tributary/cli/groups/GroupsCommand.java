package io.tributary.cli.groups;

import picocli.CommandLine.Command;

/** {@code tributary groups}: the consumer-group verbs, after {@code kafka-consumer-groups}. */
@Command(
        name = "groups",
        mixinStandardHelpOptions = true,
        description = "List, describe, reset the offsets of, and delete consumer groups.",
        subcommands = {GroupList.class, GroupDescribe.class, GroupResetOffsets.class, GroupDelete.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary groups list",
            "  tributary groups describe --group billing",
            "  tributary groups reset-offsets --group billing --topic orders --to-earliest            # dry run",
            "  tributary groups reset-offsets --group billing --topic orders --to-earliest --execute",
            "  tributary groups delete --group billing"
        })
public final class GroupsCommand {}
