package io.tributary.storage.log;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * Every file name, suffix and name format of the on-disk layout, in one place. The layout is
 * Kafka's, so that Kafka's tools read our directories:
 *
 * <pre>
 * {logDir}/.lock                                  exclusive FileChannel lock of the broker owning the dir
 * {logDir}/.kafka_cleanshutdown                   written last by a clean shutdown, deleted at startup
 * {logDir}/recovery-point-offset-checkpoint       "topic partition offset" lines, see checkpoint package
 * {logDir}/log-start-offset-checkpoint
 * {logDir}/replication-offset-checkpoint          high watermarks
 * {logDir}/cleaner-offset-checkpoint              the log cleaner's first dirty offset per compacted log
 * {logDir}/{topic}-{partition}/                   one directory per partition replica
 *     {baseOffset:020d}.log                       record batches (magic v2)
 *     {baseOffset:020d}.index                     offset index
 *     {baseOffset:020d}.timeindex                 time index
 *     {baseOffset:020d}.txnindex                  aborted transactions (only once one is aborted)
 *     {baseOffset:020d}.log.deleted               a segment waiting for file.delete.delay.ms
 *     {baseOffset:020d}.log.cleaned               a segment the log cleaner is writing (deleted at load)
 *     {baseOffset:020d}.log.swap                  a cleaned segment replacing older ones (completed at load)
 *     {baseOffset:020d}.txnindex.swap             its transaction index (kept with it; the other indexes are rebuilt)
 *     leader-epoch-checkpoint
 *     partition.metadata                          topic id
 * {logDir}/{topic}-{partition}.{uuid}-delete/     a deleted partition waiting for removal
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class LogFileNames {

    public static final String LOG_FILE_SUFFIX = ".log";
    public static final String INDEX_FILE_SUFFIX = ".index";
    public static final String TIME_INDEX_FILE_SUFFIX = ".timeindex";
    public static final String TXN_INDEX_FILE_SUFFIX = ".txnindex";
    /** A producer-state snapshot, named after the offset it was taken at (written by the broker). */
    public static final String PRODUCER_SNAPSHOT_FILE_SUFFIX = ".snapshot";
    /** Appended to the name of every file of a segment that waits for its delayed deletion. */
    public static final String DELETED_FILE_SUFFIX = ".deleted";
    /** Appended to a file being written atomically (write, fsync, rename). */
    public static final String TMP_FILE_SUFFIX = ".tmp";
    /** Appended to the files of a segment the log cleaner is writing; such files are deleted at load. */
    public static final String CLEANED_FILE_SUFFIX = ".cleaned";
    /** Appended to the files of a cleaned segment while it replaces older ones; the swap is completed at load. */
    public static final String SWAP_FILE_SUFFIX = ".swap";
    /** Appended to a partition directory that waits for its delayed deletion. */
    public static final String DELETE_DIR_SUFFIX = "-delete";

    public static final String LOCK_FILE_NAME = ".lock";
    public static final String CLEAN_SHUTDOWN_FILE_NAME = ".kafka_cleanshutdown";
    public static final String RECOVERY_POINT_CHECKPOINT_FILE = "recovery-point-offset-checkpoint";
    public static final String LOG_START_OFFSET_CHECKPOINT_FILE = "log-start-offset-checkpoint";
    public static final String REPLICATION_OFFSET_CHECKPOINT_FILE = "replication-offset-checkpoint";
    public static final String CLEANER_OFFSET_CHECKPOINT_FILE = "cleaner-offset-checkpoint";
    public static final String LEADER_EPOCH_CHECKPOINT_FILE = "leader-epoch-checkpoint";
    public static final String PARTITION_METADATA_FILE = "partition.metadata";

    private LogFileNames() {}

    /** The 20-digit, zero-padded offset that prefixes every segment file: {@code 00000000000000000042}. */
    public static String filenamePrefixFromOffset(long offset) {
        return String.format("%020d", offset);
    }

    public static File logFile(File dir, long baseOffset) {
        return new File(dir, filenamePrefixFromOffset(baseOffset) + LOG_FILE_SUFFIX);
    }

    public static File offsetIndexFile(File dir, long baseOffset) {
        return new File(dir, filenamePrefixFromOffset(baseOffset) + INDEX_FILE_SUFFIX);
    }

    public static File timeIndexFile(File dir, long baseOffset) {
        return new File(dir, filenamePrefixFromOffset(baseOffset) + TIME_INDEX_FILE_SUFFIX);
    }

    public static File txnIndexFile(File dir, long baseOffset) {
        return new File(dir, filenamePrefixFromOffset(baseOffset) + TXN_INDEX_FILE_SUFFIX);
    }

    /** The four files of the segment at {@code baseOffset}, each with {@code suffix} appended (may be empty). */
    public static List<File> segmentFiles(File dir, long baseOffset, String suffix) {
        return segmentFiles(dir, baseOffset).stream()
                .map(f -> new File(f.getPath() + suffix))
                .toList();
    }

    /**
     * The four files of the segment at {@code baseOffset}: {@code .log}, {@code .index},
     * {@code .timeindex}, {@code .txnindex} (the last may not exist).
     */
    public static List<File> segmentFiles(File dir, long baseOffset) {
        return List.of(
                logFile(dir, baseOffset),
                offsetIndexFile(dir, baseOffset),
                timeIndexFile(dir, baseOffset),
                txnIndexFile(dir, baseOffset));
    }

    /** The producer-state snapshot taken at {@code offset}: {@code 00000000000000000042.snapshot}. */
    public static File producerSnapshotFile(File dir, long offset) {
        return new File(dir, filenamePrefixFromOffset(offset) + PRODUCER_SNAPSHOT_FILE_SUFFIX);
    }

    /** The base offset encoded in a segment file name such as {@code 00000000000000000042.log}. */
    public static long offsetFromFileName(String fileName) {
        int dot = fileName.indexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("Not a segment file name: " + fileName);
        }
        return Long.parseLong(fileName.substring(0, dot));
    }

    /** True for {@code *.log} files (not {@code *.log.deleted}) whose prefix is an offset. */
    public static boolean isLogFile(File file) {
        return isSegmentFile(file.getName(), LOG_FILE_SUFFIX);
    }

    public static boolean isIndexFile(File file) {
        return isSegmentFile(file.getName(), INDEX_FILE_SUFFIX)
                || isSegmentFile(file.getName(), TIME_INDEX_FILE_SUFFIX)
                || isSegmentFile(file.getName(), TXN_INDEX_FILE_SUFFIX);
    }

    private static boolean isSegmentFile(String name, String suffix) {
        if (!name.endsWith(suffix)) {
            return false;
        }
        String prefix = name.substring(0, name.length() - suffix.length());
        return prefix.length() == 20 && prefix.chars().allMatch(Character::isDigit);
    }

    /** The directory name of a partition replica: {@code {topic}-{partition}}. */
    public static String logDirName(TopicPartition topicPartition) {
        return topicPartition.topic() + "-" + topicPartition.partition();
    }

    /** The name a deleted partition directory is renamed to before it is removed. */
    public static String deleteDirName(TopicPartition topicPartition, String uniqueId) {
        return logDirName(topicPartition) + "." + uniqueId + DELETE_DIR_SUFFIX;
    }

    /**
     * Parses {@code {topic}-{partition}}; the topic may itself contain dashes, so the partition is
     * what follows the last one. Empty for anything else (deleted, temporary or foreign dirs).
     */
    public static Optional<TopicPartition> parseTopicPartition(Path dir) {
        String name = dir.getFileName().toString();
        if (name.endsWith(DELETE_DIR_SUFFIX) || name.startsWith(".")) {
            return Optional.empty();
        }
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        OptionalLong partition = parseNonNegative(name.substring(dash + 1));
        if (partition.isEmpty() || partition.getAsLong() > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new TopicPartition(name.substring(0, dash), (int) partition.getAsLong()));
    }

    private static OptionalLong parseNonNegative(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 10) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(s));
    }
}
