package io.tributary.storage.log.cleaner;

import io.tributary.storage.log.LogFileNames;
import io.tributary.storage.log.LogManager;
import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.checkpoint.CorruptCheckpointException;
import io.tributary.storage.log.checkpoint.OffsetCheckpointFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which compacted log is cleaned next and what the cleaner knows of each, as Kafka's
 * {@code LogCleanerManager}: the first dirty offset per log, kept in each log directory's
 * {@code cleaner-offset-checkpoint} (Kafka's name and its {@code topic partition offset} format,
 * written after every cleaning, so progress survives a restart), the logs being cleaned, the
 * logs a failed cleaning made uncleanable until restart, and each log's last cleaning and latest
 * tombstone delete horizon.
 *
 * <p>{@link #grabFilthiestLog} picks, among compacted online logs that no thread is cleaning,
 * the one with the highest dirty ratio whose dirty section is worth cleaning
 * ({@link LogToClean#shouldClean}); if none, one whose kept tombstones have passed their delete
 * horizon, so that tombstones go even from a log that receives no more writes.
 *
 * <p>A lost or corrupt checkpoint only costs a cleaning of the whole log again.
 *
 * <p>Thread-safe: every method is synchronized (they are short; the cleaning itself runs outside).
 */
final class LogCleanerManager {

    private static final Logger LOG = LoggerFactory.getLogger(LogCleanerManager.class);

    private final LogManager logManager;
    private final Clock clock;
    private final Map<Path, Map<TopicPartition, Long>> checkpoints = new HashMap<>();
    private final Set<TopicPartition> inProgress = new HashSet<>();
    private final Set<TopicPartition> uncleanable = new HashSet<>();
    private final Map<TopicPartition, CleaningResult> lastCleaning = new HashMap<>();
    private final Map<TopicPartition, Long> lastCleanedAt = new HashMap<>();
    private final Map<TopicPartition, Long> deleteHorizons = new HashMap<>();
    /** The log's truncation count when this process last checkpointed it. */
    private final Map<TopicPartition, Long> truncationsAtCheckpoint = new HashMap<>();

    LogCleanerManager(LogManager logManager, Clock clock) {
        this.logManager = logManager;
        this.clock = clock;
        for (Path dir : logManager.config().logDirs()) {
            checkpoints.put(dir, readCheckpoint(dir));
        }
    }

    private static Map<TopicPartition, Long> readCheckpoint(Path dir) {
        try {
            return new HashMap<>(new OffsetCheckpointFile(checkpointPath(dir)).read());
        } catch (IOException | CorruptCheckpointException e) {
            LOG.warn(
                    "Ignoring the cleaner checkpoint of {}: {}; compacted logs there are cleaned from their start",
                    dir,
                    e.toString());
            return new HashMap<>();
        }
    }

    static Path checkpointPath(Path logDir) {
        return logDir.resolve(LogFileNames.CLEANER_OFFSET_CHECKPOINT_FILE);
    }

    /** The dirtiest log worth cleaning now, marked in progress, or empty. */
    synchronized Optional<LogToClean> grabFilthiestLog() {
        long now = clock.millis();
        List<LogToClean> candidates = new ArrayList<>();
        for (PartitionLog log : compactedLogs()) {
            TopicPartition tp = log.topicPartition();
            if (!inProgress.contains(tp) && !uncleanable.contains(tp)) {
                candidates.add(LogToClean.of(log, checkpointed(log), now));
            }
        }
        Optional<LogToClean> chosen = candidates.stream()
                .filter(LogToClean::shouldClean)
                .max(Comparator.comparingDouble(LogToClean::cleanableRatio));
        if (chosen.isEmpty()) {
            chosen = candidates.stream()
                    .filter(c -> {
                        Long horizon = deleteHorizons.get(c.log().topicPartition());
                        return horizon != null && horizon <= now;
                    })
                    .findFirst();
        }
        chosen.ifPresent(c -> inProgress.add(c.log().topicPartition()));
        return chosen;
    }

    /** Records a finished cleaning and writes its log directory's checkpoint. */
    synchronized void doneCleaning(LogToClean cleaned, CleaningResult result) throws IOException {
        PartitionLog log = cleaned.log();
        TopicPartition tp = log.topicPartition();
        inProgress.remove(tp);
        lastCleaning.put(tp, result);
        lastCleanedAt.put(tp, clock.millis());
        if (!result.replaced()) {
            return;
        }
        if (result.latestDeleteHorizon() >= 0) {
            deleteHorizons.put(tp, result.latestDeleteHorizon());
        } else {
            deleteHorizons.remove(tp);
        }
        Path dir = log.dir().toPath().getParent();
        checkpoints.computeIfAbsent(dir, d -> new HashMap<>()).put(tp, result.endOffset());
        truncationsAtCheckpoint.put(tp, cleaned.truncations());
        writeCheckpoint(dir);
    }

    /** A cleaning failed or was aborted; after a failure the log is skipped until restart. */
    synchronized void abortedCleaning(TopicPartition tp, boolean failed) {
        inProgress.remove(tp);
        if (failed) {
            uncleanable.add(tp);
        }
    }

    private void writeCheckpoint(Path dir) throws IOException {
        Map<TopicPartition, Long> offsets = checkpoints.get(dir);
        Set<TopicPartition> present = new HashSet<>();
        logManager.allLogs().forEach(l -> present.add(l.topicPartition()));
        offsets.keySet().retainAll(present);
        Map<TopicPartition, Long> sorted =
                new TreeMap<>(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        sorted.putAll(offsets);
        new OffsetCheckpointFile(checkpointPath(dir)).write(sorted);
    }

    /**
     * The checkpointed first dirty offset of {@code log}, -1 if none, or if the log was truncated
     * since: the records written again below the checkpoint were never mapped, so the whole log
     * is dirty once more (Kafka lowers the checkpoint on truncation for the same reason).
     */
    synchronized long checkpointed(PartitionLog log) {
        TopicPartition tp = log.topicPartition();
        Long truncations = truncationsAtCheckpoint.get(tp);
        if (truncations != null && truncations != log.truncations()) {
            return -1;
        }
        Map<TopicPartition, Long> inDir = checkpoints.get(log.dir().toPath().getParent());
        Long offset = inDir == null ? null : inDir.get(tp);
        return offset == null ? -1 : offset;
    }

    /** Every compacted log's state now, by topic and partition. */
    synchronized List<CleanerState> states() {
        long now = clock.millis();
        List<CleanerState> states = new ArrayList<>();
        for (PartitionLog log : compactedLogs()) {
            TopicPartition tp = log.topicPartition();
            LogToClean view;
            try {
                view = LogToClean.of(log, checkpointed(log), now);
            } catch (RuntimeException e) {
                continue; // deleted or closed meanwhile
            }
            states.add(new CleanerState(
                    tp,
                    view.firstDirtyOffset(),
                    view.cleanableRatio(),
                    inProgress.contains(tp),
                    uncleanable.contains(tp),
                    lastCleaning.get(tp),
                    lastCleanedAt.getOrDefault(tp, -1L)));
        }
        states.sort(Comparator.comparing((CleanerState s) -> s.topicPartition().topic())
                .thenComparingInt(s -> s.topicPartition().partition()));
        return states;
    }

    private List<PartitionLog> compactedLogs() {
        return logManager.allLogs().stream()
                .filter(l -> !l.isOffline() && l.config().compactionEnabled())
                .toList();
    }
}
