package io.tributary.cli.clients;

import java.util.Map;
import java.util.Set;

/**
 * Turns a line of producer input into a key and a value, with the {@code kafka-console-producer}
 * properties: {@code parse.key} (default false), {@code key.separator} (default a tab; {@code \t}
 * may be written as the two characters backslash and t), {@code null.marker} (a key or value equal
 * to it is sent as null) and {@code ignore.error} (a line without the separator is sent whole as
 * the value instead of failing).
 *
 * <p>Immutable and thread-safe.
 */
public final class LineParser {

    /** A parsed line; {@code key} is null when keys are not parsed. */
    public record KeyValue(String key, String value) {}

    static final Set<String> KNOWN = Set.of("parse.key", "key.separator", "null.marker", "ignore.error");

    private final boolean parseKey;
    private final String separator;
    private final String nullMarker;
    private final boolean ignoreError;

    public LineParser(Map<String, String> properties) {
        for (String name : properties.keySet()) {
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("Unknown --property " + name + " (known: parse.key, key.separator, "
                        + "null.marker, ignore.error)");
            }
        }
        this.parseKey = bool(properties, "parse.key");
        this.separator = unescape(properties.getOrDefault("key.separator", "\t"));
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("key.separator must not be empty");
        }
        this.nullMarker = properties.get("null.marker");
        this.ignoreError = bool(properties, "ignore.error");
    }

    /** Parses line {@code lineNumber} (from 1, for the message). */
    public KeyValue parse(String line, long lineNumber) {
        if (!parseKey) {
            return new KeyValue(null, orNull(line));
        }
        int at = line.indexOf(separator);
        if (at < 0) {
            if (ignoreError) {
                return new KeyValue(null, orNull(line));
            }
            throw new IllegalArgumentException(
                    "No key separator '" + printable(separator) + "' on line " + lineNumber + ": " + line);
        }
        return new KeyValue(orNull(line.substring(0, at)), orNull(line.substring(at + separator.length())));
    }

    private String orNull(String text) {
        return nullMarker != null && nullMarker.equals(text) ? null : text;
    }

    private static boolean bool(Map<String, String> properties, String name) {
        String value = properties.getOrDefault(name, "false").strip();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    static String unescape(String text) {
        return text.replace("\\t", "\t").replace("\\n", "\n");
    }

    private static String printable(String text) {
        return text.replace("\t", "\\t");
    }
}
