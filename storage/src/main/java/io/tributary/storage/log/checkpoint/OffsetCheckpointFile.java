package io.tributary.storage.log.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A per-log-directory offset checkpoint: {@code recovery-point-offset-checkpoint},
 * {@code log-start-offset-checkpoint} and {@code replication-offset-checkpoint} (high watermarks).
 *
 * <p><b>Bytes on disk:</b> {@link CheckpointFile}'s format with one {@code topic partition offset}
 * line per partition, e.g.
 * <pre>
 * 0
 * 2
 * orders 0 1200
 * orders 1 977
 * </pre>
 * Topic names cannot contain spaces, so the split is unambiguous. Crash safety and threading as
 * {@link CheckpointFile}.
 */
public final class OffsetCheckpointFile {

    private final CheckpointFile<Map.Entry<TopicPartition, Long>> file;

    public OffsetCheckpointFile(Path path) {
        this.file = new CheckpointFile<>(
                path, e -> e.getKey().topic() + " " + e.getKey().partition() + " " + e.getValue(), fields -> {
                    if (fields.length != 3) {
                        throw new IllegalArgumentException("expected 'topic partition offset'");
                    }
                    return Map.entry(
                            new TopicPartition(fields[0], Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
                });
    }

    public Path path() {
        return file.file();
    }

    public void write(Map<TopicPartition, Long> offsets) throws IOException {
        file.write(new ArrayList<>(offsets.entrySet()));
    }

    /** The checkpointed offsets; empty when the file does not exist. */
    public Map<TopicPartition, Long> read() throws IOException {
        List<Map.Entry<TopicPartition, Long>> entries = file.read();
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        entries.forEach(e -> offsets.put(e.getKey(), e.getValue()));
        return offsets;
    }
}
