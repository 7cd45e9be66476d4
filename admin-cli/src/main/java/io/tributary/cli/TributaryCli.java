package io.tributary.cli;

import io.tributary.cli.clients.ConsumeCommand;
import io.tributary.cli.clients.ProduceCommand;
import io.tributary.cli.cluster.ClusterCommand;
import io.tributary.cli.groups.GroupsCommand;
import io.tributary.cli.quotas.QuotasCommand;
import io.tributary.cli.support.ExitCodes;
import io.tributary.cli.support.StandardInput;
import io.tributary.cli.topics.TopicsCommand;
import io.tributary.cli.transactions.TransactionsCommand;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code tributary}: the root command. It only groups the verbs; each verb is its own
 * {@code Callable<Integer>} class. {@link #newCommandLine} builds the whole tree with the one
 * failure-to-exit-code mapper ({@link ExitCodes}); {@link #main} is the only place that calls
 * {@code System.exit}.
 */
@Command(
        name = "tributary",
        mixinStandardHelpOptions = true,
        versionProvider = TributaryCli.Version.class,
        description = "Administer and use a Tributary (Kafka-compatible) cluster: topics, produce, consume, consumer "
                + "groups and the cluster's health.",
        subcommands = {
            TopicsCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            GroupsCommand.class,
            TransactionsCommand.class,
            QuotasCommand.class,
            ClusterCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary topics create --topic orders --partitions 3 --replication-factor 2",
            "  tributary topics describe --topic orders",
            "  printf 'k1:hello\\nk2:world\\n' | tributary produce --topic orders --property parse.key=true --property key.separator=:",
            "  tributary consume --topic orders --group billing --from-beginning --print-key --max-messages 2",
            "  tributary groups describe --group billing",
            "  tributary transactions describe --transactional-id payments-1",
            "  tributary cluster",
            "",
            "Every command takes --bootstrap-server (or TRIBUTARY_BOOTSTRAP), --output json and --help."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success.",
            "1:Unexpected error, or an error reported by the cluster.",
            "2:Invalid command line.",
            "3:The topic, partition or group does not exist.",
            "4:The cluster refused the request (replication factor, partitions, config, topic exists, group in use, "
                    + "a group id or session timeout the group coordinator does not take).",
            "5:The cluster or the metadata-service could not be reached in time, or consume --group was not let into "
                    + "its group within --idle-timeout."
        })
public final class TributaryCli implements StandardInput {

    private final InputStream stdin;

    public TributaryCli(InputStream stdin) {
        this.stdin = stdin;
    }

    /** What {@code produce} reads when no {@code --file} is given. */
    @Override
    public InputStream stdin() {
        return stdin;
    }

    /** The command tree reading {@code stdin}, printing to {@code out} and {@code err}. */
    public static CommandLine newCommandLine(InputStream stdin, PrintWriter out, PrintWriter err) {
        ExitCodes exitCodes = new ExitCodes();
        CommandLine commandLine = new CommandLine(new TributaryCli(stdin));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(exitCodes);
        commandLine.setParameterExceptionHandler(exitCodes);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setUsageHelpWidth(110);
        return commandLine;
    }

    public static void main(String[] args) {
        quietClientLogs(
                Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v"));
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int exitCode = newCommandLine(System.in, out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /** kafka-clients logs connection failures as warnings; they stay hidden unless --verbose. */
    private static void quietClientLogs(boolean verbose) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "warn" : "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }

    /** The version from the runnable jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TributaryCli.class.getPackage().getImplementationVersion();
            return new String[] {"tributary " + (version == null ? "(development build)" : version)};
        }
    }
}
