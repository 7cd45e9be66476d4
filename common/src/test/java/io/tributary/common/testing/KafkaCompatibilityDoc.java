package io.tributary.common.testing;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Checks a table of {@code docs/kafka-compatibility.md} against the {@link ApiHandlerRegistry} a
 * service really serves, so that the document cannot go stale (published in common's test-jar;
 * each service module has a {@code KafkaCompatibilityDocTest} that calls it).
 *
 * <p>A table is found by the HTML comment {@code <!-- api-table: NAME -->} (text may follow the
 * name) on the line before its header. Its header names an {@code API} column (Kafka's API name, as {@link ApiKeys#name}), a
 * {@code key} column (the numeric API key) and a {@code versions} column ({@code min-max}, or one
 * number when min and max are equal); other columns are free text. The table must list exactly
 * the registry's APIs, each once, with the handler's {@link ApiHandler#minVersion()} and
 * {@link ApiHandler#maxVersion()}: the versions a request may carry without the connection being
 * closed (ApiVersions may advertise a lower minimum for Produce, see {@code ApiHandlerRegistry}).
 *
 * <p>Stateless; thread-safe.
 */
public final class KafkaCompatibilityDoc {

    /** The document, relative to the repository root. */
    public static final String DOC = "docs/kafka-compatibility.md";

    private static final Pattern MARKER = Pattern.compile("<!--\\s*api-table:\\s*([\\w.-]+)(?:\\s.*?)?-->");
    private static final Pattern VERSIONS = Pattern.compile("(\\d+)(?:\\s*[-–]\\s*(\\d+))?");

    private KafkaCompatibilityDoc() {}

    /** One data row of a table: its line number (1-based) and the three checked cells, trimmed. */
    public record Row(int line, String api, String key, String versions) {}

    /**
     * The document seen from a module directory (Surefire runs each module's tests with
     * {@code user.dir} set to the module): {@code ../docs/kafka-compatibility.md}.
     */
    public static Path locateFromModule() {
        Path doc = Path.of(System.getProperty("user.dir"), "..", DOC).normalize();
        if (!Files.isRegularFile(doc)) {
            throw new AssertionError(DOC + " not found at " + doc + " (tests run from a module directory)");
        }
        return doc;
    }

    /**
     * Asserts that the table {@code tableName} of the document at {@code doc} lists exactly what
     * {@code registry} serves.
     *
     * @param service the service's name, for the failure message
     * @throws AssertionError listing every row that differs and how to fix it
     */
    public static void assertTableMatches(Path doc, String tableName, String service, ApiHandlerRegistry registry) {
        String markdown;
        try {
            markdown = Files.readString(doc, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + doc, e);
        }
        List<String> problems = differences(table(markdown, tableName), registry, service);
        if (!problems.isEmpty()) {
            throw new AssertionError(DOC + ", table <!-- api-table: " + tableName + " -->, does not match the APIs "
                    + service + " serves:\n  - " + String.join("\n  - ", problems)
                    + "\nThe handlers are the truth: each handler's apiKey(), minVersion() and maxVersion() as"
                    + " registered in the service's ApiHandlerRegistry. Edit the table, not the test.");
        }
    }

    /**
     * The data rows of the table marked {@code tableName}.
     *
     * @throws AssertionError if there is no such marker, no table right after it, or the header
     *                        lacks one of the checked columns
     */
    public static List<Row> table(String markdown, String tableName) {
        String[] lines = markdown.split("\r?\n", -1);
        int marker = -1;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MARKER.matcher(lines[i]);
            if (m.find() && m.group(1).equals(tableName)) {
                if (marker >= 0) {
                    throw new AssertionError(DOC + " has two tables marked <!-- api-table: " + tableName + " -->"
                            + " (lines " + (marker + 1) + " and " + (i + 1) + ")");
                }
                marker = i;
            }
        }
        if (marker < 0) {
            throw new AssertionError(DOC + " has no table marked <!-- api-table: " + tableName
                    + " -->; put that comment on the line before the table's header");
        }
        int header = marker + 1;
        while (header < lines.length && lines[header].isBlank()) {
            header++;
        }
        if (header + 1 >= lines.length || !isTableLine(lines[header]) || !isTableLine(lines[header + 1])) {
            throw new AssertionError(DOC + " line " + (marker + 1) + ": no Markdown table follows <!-- api-table: "
                    + tableName + " -->");
        }
        List<String> columns = cells(lines[header]);
        int api = column(columns, "api", header, tableName);
        int key = column(columns, "key", header, tableName);
        int versions = column(columns, "versions", header, tableName);
        List<Row> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.length && isTableLine(lines[i]); i++) {
            List<String> cells = cells(lines[i]);
            rows.add(new Row(i + 1, cell(cells, api), cell(cells, key), cell(cells, versions)));
        }
        return rows;
    }

    /** What differs between {@code rows} and {@code registry}; empty when they agree. */
    public static List<String> differences(List<Row> rows, ApiHandlerRegistry registry, String service) {
        List<String> problems = new ArrayList<>();
        Map<ApiKeys, Row> documented = new HashMap<>();
        for (Row row : rows) {
            ApiKeys apiKey = byName(row.api());
            if (apiKey == null) {
                problems.add("line " + row.line() + ": '" + row.api() + "' is not a Kafka API name (use the names of"
                        + " kafka-clients' ApiKeys, e.g. OffsetForLeaderEpoch)");
                continue;
            }
            Row earlier = documented.putIfAbsent(apiKey, row);
            if (earlier != null) {
                problems.add("line " + row.line() + ": " + apiKey.name + " is listed again (first on line "
                        + earlier.line() + "); keep one row");
                continue;
            }
            var handler = registry.handler(apiKey);
            if (handler.isEmpty()) {
                problems.add("line " + row.line() + ": " + apiKey.name + " is not served by " + service
                        + "; remove the row (unserved APIs belong in the prose, not in this table)");
                continue;
            }
            if (!row.key().equals(Short.toString(apiKey.id))) {
                problems.add("line " + row.line() + ": " + apiKey.name + " has key '" + row.key() + "', but its key is "
                        + apiKey.id + "; write " + expectedRow(handler.get()));
            }
            String served = versions(handler.get());
            if (!sameVersions(row.versions(), handler.get())) {
                problems.add("line " + row.line() + ": " + apiKey.name + " is documented as versions '" + row.versions()
                        + "', but " + service + " serves " + served + "; write " + expectedRow(handler.get()));
            }
        }
        for (ApiKeys apiKey : registry.apiKeys()) {
            if (!documented.containsKey(apiKey)) {
                ApiHandler handler = registry.handler(apiKey).orElseThrow();
                problems.add(apiKey.name + " (key " + apiKey.id + ") is served in versions " + versions(handler)
                        + " but has no row; add " + expectedRow(handler));
            }
        }
        return problems;
    }

    /** {@code min-max}, or one number when they are equal. */
    public static String versions(ApiHandler handler) {
        return handler.minVersion() == handler.maxVersion()
                ? Short.toString(handler.minVersion())
                : handler.minVersion() + "-" + handler.maxVersion();
    }

    private static String expectedRow(ApiHandler handler) {
        return "`| " + handler.apiKey().name + " | " + handler.apiKey().id + " | " + versions(handler) + " | ... |`";
    }

    private static boolean sameVersions(String cell, ApiHandler handler) {
        Matcher m = VERSIONS.matcher(cell);
        if (!m.matches()) {
            return false;
        }
        int min = Integer.parseInt(m.group(1));
        int max = m.group(2) == null ? min : Integer.parseInt(m.group(2));
        return min == handler.minVersion() && max == handler.maxVersion();
    }

    private static ApiKeys byName(String name) {
        for (ApiKeys key : ApiKeys.values()) {
            if (key.name.equals(name)) {
                return key;
            }
        }
        return null;
    }

    private static boolean isTableLine(String line) {
        return line.trim().startsWith("|");
    }

    private static int column(List<String> header, String name, int headerIndex, String tableName) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).toLowerCase(Locale.ROOT).equals(name)) {
                return i;
            }
        }
        throw new AssertionError(DOC + " line " + (headerIndex + 1) + ": the header of table " + tableName + " has no '"
                + name + "' column (it needs API, key and versions)");
    }

    /** The cells of {@code | a | b |}, trimmed, backticks removed; {@code \|} stays inside its cell. */
    private static List<String> cells(String line) {
        String trimmed = line.trim();
        if (trimmed.startsWith("|")) {
            trimmed = trimmed.substring(1);
        }
        if (trimmed.endsWith("|")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        List<String> cells = new ArrayList<>();
        for (String cell : trimmed.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.replace("`", "").trim());
        }
        return cells;
    }

    private static String cell(List<String> cells, int index) {
        return index < cells.size() ? cells.get(index) : "";
    }
}
