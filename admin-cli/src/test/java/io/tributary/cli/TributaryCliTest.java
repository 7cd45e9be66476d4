package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.support.ExitCodes;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree without a cluster: help, usage errors, exit codes, completion. */
class TributaryCliTest {

    record Run(int exitCode, String out, String err) {}

    static Run run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TributaryCli.newCommandLine(
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        new PrintWriter(out),
                        new PrintWriter(err))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void shouldGiveHelpWithExamplesOnEveryCommand() {
        List<List<String>> paths = new ArrayList<>();
        collect(
                TributaryCli.newCommandLine(
                        System.in, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())),
                new ArrayList<>(),
                paths);
        assertThat(paths).hasSizeGreaterThan(15);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run run = run("", args.toArray(String[]::new));
            assertThat(run.exitCode()).as("%s", args).isZero();
            assertThat(run.out()).as("%s", args).contains("Usage: tributary").contains("Examples:");
        }
    }

    private static void collect(CommandLine commandLine, List<String> path, List<List<String>> paths) {
        if (!commandLine.getCommandName().equals("help")) {
            paths.add(path);
        }
        commandLine.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> child = new ArrayList<>(path);
                child.add(name);
                collect(sub, child, paths);
            }
        });
    }

    @Test
    void shouldReportAUsageErrorOnOneLineWithExitCode2() {
        Run run = run("", "topics", "create", "--partitions", "3");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines())
                .containsExactly(
                        "Error: Missing required option: '--topic=TOPIC' (see 'tributary topics create --help')");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldReportAnUnreachableClusterOnOneLineAndTheStackOnlyWhenVerbose() {
        Run run = run("", "topics", "list", "--bootstrap-server", "localhost:1", "--timeout", "1s");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err().lines())
                .hasSize(1)
                .first()
                .asString()
                .startsWith("Error: No answer from the cluster at localhost:1 within 1s");

        Run verbose = run("", "topics", "list", "--bootstrap-server", "localhost:1", "--timeout", "1s", "--verbose");
        assertThat(verbose.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(verbose.err()).contains("\tat ");
    }

    @Test
    void shouldReportAnUnreachableMetadataServiceOnOneLine() {
        Run run = run("", "cluster", "--metadata-url", "http://localhost:1", "--timeout", "1s");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err().lines())
                .containsExactly(
                        "Error: Cannot connect to http://localhost:1/api/cluster (is the metadata-service running? see --metadata-url)");
    }

    @Test
    void shouldRefuseAnUnknownProducerPropertyBeforeConnecting() {
        Run run = run(
                "a\n", "produce", "--topic", "t", "--property", "parse.keys=true", "--bootstrap-server", "localhost:1");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).singleElement().asString().contains("Unknown --property parse.keys");
    }

    @Test
    void shouldRequireAChangeForAlterAndExactlyOneResetTarget() {
        assertThat(run("", "topics", "alter", "--topic", "t").exitCode()).isEqualTo(ExitCodes.USAGE);
        Run run = run("", "groups", "reset-offsets", "--group", "g", "--topic", "t", "--to-earliest", "--to-latest");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void shouldPrintABashCompletionScript() {
        Run run = run("", "completion");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F").contains("reset-offsets").contains("--bootstrap-server");
    }

    @Test
    void shouldRefuseACommitTimeResetOfChosenPartitions() {
        Run run = run(
                "",
                "groups",
                "reset-offsets",
                "--group",
                "g",
                "--topic",
                "orders:0,1",
                "--to-commit-time",
                "2026-11-24T08:00:00Z",
                "--coordinator-url",
                "http://localhost:1");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--to-commit-time takes one --topic without partitions");
    }

    @Test
    void shouldNameTheCoordinatorUrlWhenNoCoordinatorAnswers() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Run run = run("", "groups", "history", "--group", "g", "--coordinator-url", "http://localhost:" + closed);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err().lines().toList()).hasSize(1);
        assertThat(run.err()).contains("see --coordinator-url");
    }
}
