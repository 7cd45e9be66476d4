package io.tributary.storage.log.checkpoint;

import io.tributary.storage.log.LogFileNames;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Utils;

/**
 * {@code partition.metadata} in a partition directory: the topic id the replica belongs to, so a
 * partition of a deleted and recreated topic is never mistaken for the old one.
 *
 * <p><b>Bytes on disk</b> (Kafka's format):
 * <pre>
 * version: 0
 * topic_id: {Uuid.toString(): URL-safe base64, no padding}
 * </pre>
 * Written atomically (temp file, fsync, rename). Thread-safe (synchronized).
 */
public final class PartitionMetadataFile {

    private static final String VERSION_PREFIX = "version: ";
    private static final String TOPIC_ID_PREFIX = "topic_id: ";

    private final Path file;

    public PartitionMetadataFile(Path partitionDir) {
        this.file = partitionDir.resolve(LogFileNames.PARTITION_METADATA_FILE);
    }

    public Path path() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    public synchronized void write(Uuid topicId) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + LogFileNames.TMP_FILE_SUFFIX);
        try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
            out.write((VERSION_PREFIX + "0\n" + TOPIC_ID_PREFIX + topicId + "\n").getBytes(StandardCharsets.UTF_8));
            out.getFD().sync();
        }
        Utils.atomicMoveWithFallback(tmp, file);
    }

    /** The topic id, or empty when the file does not exist. */
    public synchronized Optional<Uuid> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2
                || !lines.get(0).equals(VERSION_PREFIX + "0")
                || !lines.get(1).startsWith(TOPIC_ID_PREFIX)) {
            throw new CorruptCheckpointException(
                    "Malformed partition metadata file " + file.toAbsolutePath() + ": " + lines);
        }
        try {
            return Optional.of(Uuid.fromString(
                    lines.get(1).substring(TOPIC_ID_PREFIX.length()).trim()));
        } catch (IllegalArgumentException e) {
            throw new CorruptCheckpointException(
                    "Malformed topic id in " + file.toAbsolutePath() + ": " + lines.get(1));
        }
    }
}
