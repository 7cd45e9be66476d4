package io.tributary.cli.transactions;

import picocli.CommandLine.Command;

/** {@code tributary transactions}: the transaction verbs, after {@code kafka-transactions}. */
@Command(
        name = "transactions",
        mixinStandardHelpOptions = true,
        description = "List and describe transactional producers' transactions.",
        subcommands = {TransactionList.class, TransactionDescribe.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary transactions list",
            "  tributary transactions describe --transactional-id payments-1",
            "  tributary transactions describe --transactional-id payments-1 --output json"
        })
public final class TransactionsCommand {}
