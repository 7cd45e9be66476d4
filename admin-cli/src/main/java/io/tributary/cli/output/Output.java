package io.tributary.cli.output;

import java.io.PrintWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a command's results go: {@link Format#table} (aligned text for people) or
 * {@link Format#json} (for scripts; one JSON document per command, or one object per line for
 * streams such as {@code consume}). Writes to the command line's out writer so that tests capture it.
 */
public final class Output {

    /** The {@code --output} choices. */
    public enum Format {
        table,
        json
    }

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final JsonMapper JSON_LINES = JsonMapper.builder().build();

    private final PrintWriter out;
    private final Format format;

    public Output(PrintWriter out, Format format) {
        this.out = out;
        this.format = format;
    }

    public boolean isJson() {
        return format == Format.json;
    }

    public PrintWriter writer() {
        return out;
    }

    /** One pretty-printed JSON document. */
    public void json(Object value) {
        out.println(JSON.writeValueAsString(value));
        out.flush();
    }

    /** One compact JSON document on one line. */
    public void jsonLine(Object value) {
        out.println(JSON_LINES.writeValueAsString(value));
    }

    /** A command's result: {@code json} as one JSON document, else {@code text} as one line. */
    public void print(Object json, String text) {
        if (isJson()) {
            json(json);
        } else {
            line(text);
        }
    }

    /** A command's result: {@code json} as one JSON document, else {@code table}. */
    public void print(Object json, Table table) {
        if (isJson()) {
            json(json);
        } else {
            table(table);
        }
    }

    public void table(Table table) {
        table.print(out);
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** The shared mapper, for reading JSON too. */
    public static JsonMapper mapper() {
        return JSON_LINES;
    }
}
