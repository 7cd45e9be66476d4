package io.tributary.cli.quotas;

import picocli.CommandLine.Command;

/** {@code tributary quotas}: client quotas, after {@code kafka-configs --entity-type users|clients}. */
@Command(
        name = "quotas",
        mixinStandardHelpOptions = true,
        description = "Describe and alter client quotas (producer_byte_rate, consumer_byte_rate, request_percentage) "
                + "of users, client ids and client ids of a user.",
        subcommands = {QuotaDescribe.class, QuotaAlter.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary quotas describe",
            "  tributary quotas describe --user alice --output json",
            "  tributary quotas alter --user alice --add producer_byte_rate=1048576",
            "  tributary quotas alter --client-default --add consumer_byte_rate=2097152",
            "  tributary quotas alter --user alice --delete producer_byte_rate"
        })
public final class QuotasCommand {}
