package io.tributary.it.cli;

import io.tributary.cli.TributaryCli;
import io.tributary.it.SharedCluster;
import io.tributary.it.TributaryCluster;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code tributary} in-process against a {@link TributaryCluster}, as a user would type it,
 * with the cluster's addresses appended and standard input, output and error captured.
 */
public final class Cli {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** What one command did. */
    public record Result(int exitCode, String out, String err) {
        public List<String> outLines() {
            return out.lines().toList();
        }

        public List<String> errLines() {
            return err.lines().toList();
        }

        public JsonNode json() {
            return JSON.readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    private final TributaryCluster cluster;

    Cli(TributaryCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * What every CLI test runs against, healthy: the {@link SharedCluster} (a metadata-service,
     * three brokers and a group-coordinator). Not to be closed.
     */
    static TributaryCluster startCluster() {
        return SharedCluster.get();
    }

    /** {@code tributary args... --bootstrap-server B --metadata-url M}. */
    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", cluster.bootstrapServers(), "--metadata-url", cluster.metadataUrl()));
        return runExactly(stdin, all.toArray(String[]::new));
    }

    /** {@code tributary args...}, nothing appended. */
    public static Result runExactly(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TributaryCli.newCommandLine(
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
