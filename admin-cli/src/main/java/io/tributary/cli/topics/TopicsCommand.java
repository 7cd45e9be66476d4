package io.tributary.cli.topics;

import picocli.CommandLine.Command;

/** {@code tributary topics}: groups the topic verbs, as {@code kafka-topics} does with its actions. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create, list, describe, alter and delete topics (through the Kafka AdminClient).",
        subcommands = {TopicCreate.class, TopicList.class, TopicDescribe.class, TopicAlter.class, TopicDelete.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary topics create --topic orders --partitions 3 --replication-factor 2",
            "  tributary topics list",
            "  tributary topics describe --topic orders",
            "  tributary topics describe --under-replicated-partitions",
            "  tributary topics alter --topic orders --partitions 6 --config retention.ms=86400000",
            "  tributary topics delete --topic orders --if-exists"
        })
public final class TopicsCommand {}
