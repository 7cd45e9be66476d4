package io.tributary.storage.log.checkpoint;

import io.tributary.storage.log.LogFileNames;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.utils.Utils;

/**
 * Kafka's text checkpoint format, generic over the entry type:
 *
 * <pre>
 * {version}\n          always 0
 * {count}\n            number of entry lines that follow
 * {entry}\n            count times, fields separated by one space
 * </pre>
 *
 * <p><b>Crash safety:</b> {@link #write} writes {@code {name}.tmp}, fsyncs it, renames it over the
 * file atomically and fsyncs the directory, so a reader sees either the old or the new content,
 * never a mix. A leftover {@code .tmp} is ignored.
 *
 * <p><b>Thread-safety:</b> {@code write} and {@code read} are synchronized on this object.
 *
 * @param <T> one entry (one line)
 */
public final class CheckpointFile<T> {

    public static final int CURRENT_VERSION = 0;

    private final Path file;
    private final Function<T, String> formatter;
    private final Function<String[], T> parser;

    /**
     * @param formatter the line for an entry, without newline
     * @param parser    an entry from the space-separated fields of a line; throws on a bad line
     */
    public CheckpointFile(Path file, Function<T, String> formatter, Function<String[], T> parser) {
        this.file = file;
        this.formatter = formatter;
        this.parser = parser;
    }

    public Path file() {
        return file;
    }

    /** Replaces the file's content with {@code entries}, atomically and durably. */
    public synchronized void write(List<T> entries) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + LogFileNames.TMP_FILE_SUFFIX);
        try (FileOutputStream out = new FileOutputStream(tmp.toFile());
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            writer.write(Integer.toString(CURRENT_VERSION));
            writer.newLine();
            writer.write(Integer.toString(entries.size()));
            writer.newLine();
            for (T entry : entries) {
                writer.write(formatter.apply(entry));
                writer.newLine();
            }
            writer.flush();
            out.getFD().sync();
        }
        Utils.atomicMoveWithFallback(tmp, file);
    }

    /**
     * The entries, or an empty list if the file does not exist.
     *
     * @throws CorruptCheckpointException naming the file and line when the content does not parse
     */
    public synchronized List<T> read() throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String versionLine = reader.readLine();
            if (versionLine == null) {
                return List.of();
            }
            int version = parseInt(versionLine, "version");
            if (version != CURRENT_VERSION) {
                throw new CorruptCheckpointException("Unrecognized version " + version + " of checkpoint file "
                        + file.toAbsolutePath() + ", expected " + CURRENT_VERSION);
            }
            int count = parseInt(reader.readLine(), "entry count");
            List<T> entries = new ArrayList<>(count);
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    entries.add(parser.apply(line.trim().split(" ")));
                } catch (RuntimeException e) {
                    throw new CorruptCheckpointException("Malformed line '" + line + "' in checkpoint file "
                            + file.toAbsolutePath() + ": " + e.getMessage());
                }
            }
            if (entries.size() != count) {
                throw new CorruptCheckpointException("Expected " + count + " entries in checkpoint file "
                        + file.toAbsolutePath() + " but found " + entries.size());
            }
            return entries;
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private int parseInt(String line, String what) {
        try {
            return Integer.parseInt(line == null ? "" : line.trim());
        } catch (NumberFormatException e) {
            throw new CorruptCheckpointException(
                    "Malformed " + what + " line '" + line + "' in checkpoint file " + file.toAbsolutePath());
        }
    }
}
