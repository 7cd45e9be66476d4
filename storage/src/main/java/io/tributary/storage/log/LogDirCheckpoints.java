package io.tributary.storage.log;

import io.tributary.storage.log.checkpoint.CorruptCheckpointException;
import io.tributary.storage.log.checkpoint.OffsetCheckpointFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three offset checkpoints of one log directory, which carry a partition log's offsets across
 * a restart: {@code recovery-point-offset-checkpoint} (where recovery starts rescanning),
 * {@code log-start-offset-checkpoint} and {@code replication-offset-checkpoint} (high watermarks).
 *
 * <p><b>On disk:</b> Kafka's text format (see {@link OffsetCheckpointFile}), one line per partition
 * log of the directory, sorted by topic and partition. Each file is rewritten whole (temp file,
 * fsync, rename), so a crash leaves the old or the new one. A corrupt file is read as empty, with a
 * warning: a lost recovery point only costs a rescan, and a lost log start offset or high watermark
 * is recomputed from the segments and by replication.
 *
 * <p><b>Thread-safety:</b> stateless; writers of the same directory must be serialized (they share
 * each file's {@code .tmp}), which {@link LogManager} does.
 */
final class LogDirCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(LogDirCheckpoints.class);

    /** The checkpointed offsets of a directory by partition; a map is empty if its file is missing or corrupt. */
    record Offsets(
            Map<TopicPartition, Long> recoveryPoints,
            Map<TopicPartition, Long> logStartOffsets,
            Map<TopicPartition, Long> highWatermarks) {}

    private LogDirCheckpoints() {}

    /** Reads the three checkpoints of {@code dir}. */
    static Offsets read(Path dir) throws IOException {
        return new Offsets(
                read(dir, LogFileNames.RECOVERY_POINT_CHECKPOINT_FILE),
                read(dir, LogFileNames.LOG_START_OFFSET_CHECKPOINT_FILE),
                read(dir, LogFileNames.REPLICATION_OFFSET_CHECKPOINT_FILE));
    }

    private static Map<TopicPartition, Long> read(Path dir, String name) throws IOException {
        try {
            return new OffsetCheckpointFile(dir.resolve(name)).read();
        } catch (CorruptCheckpointException e) {
            LOG.warn("Ignoring corrupt checkpoint: {}", e.getMessage());
            return Map.of();
        }
    }

    /** Writes the three checkpoints of {@code dir} with the current offsets of {@code logs}, its logs. */
    static void write(Path dir, Collection<PartitionLog> logs) throws IOException {
        List<PartitionLog> sorted = new ArrayList<>(logs);
        sorted.sort(Comparator.comparing((PartitionLog l) -> l.topicPartition().topic())
                .thenComparingInt(l -> l.topicPartition().partition()));
        Map<TopicPartition, Long> recoveryPoints = new LinkedHashMap<>();
        Map<TopicPartition, Long> logStartOffsets = new LinkedHashMap<>();
        Map<TopicPartition, Long> highWatermarks = new LinkedHashMap<>();
        for (PartitionLog log : sorted) {
            recoveryPoints.put(log.topicPartition(), log.recoveryPoint());
            logStartOffsets.put(log.topicPartition(), log.logStartOffset());
            highWatermarks.put(log.topicPartition(), log.highWatermark().offset());
        }
        new OffsetCheckpointFile(dir.resolve(LogFileNames.RECOVERY_POINT_CHECKPOINT_FILE)).write(recoveryPoints);
        new OffsetCheckpointFile(dir.resolve(LogFileNames.LOG_START_OFFSET_CHECKPOINT_FILE)).write(logStartOffsets);
        new OffsetCheckpointFile(dir.resolve(LogFileNames.REPLICATION_OFFSET_CHECKPOINT_FILE)).write(highWatermarks);
    }
}
