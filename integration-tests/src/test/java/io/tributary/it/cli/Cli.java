package io.tributary.it.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tributary.cli.TributaryCli;
import io.tributary.it.TributaryCluster;

/**
 * Runs {@code tributary} in-process against a {@link TributaryCluster}, as a user would type it,
 * with the cluster's addresses appended and standard input, output and error captured.
 */
final class Cli {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What one command did. */
    record Result(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        JsonNode json() {
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
    static Result runExactly(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TributaryCli.newCommandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Test set-up that does not depend on CreateTopics: the metadata-service REST API. */
    static void createTopicOverRest(TributaryCluster cluster, String name, int partitions, int replicationFactor)
            throws Exception {
        String body = "{\"name\":\"" + name + "\",\"partitions\":" + partitions + ",\"replicationFactor\":"
                + replicationFactor + "}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.metadataUrl() + "/api/topics"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating " + name + ": " + response.statusCode() + " " + response.body());
        }
    }
}
