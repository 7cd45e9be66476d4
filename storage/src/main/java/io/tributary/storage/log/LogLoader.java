package io.tributary.storage.log;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import io.tributary.storage.log.index.CorruptIndexException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments of one partition directory and brings them to a consistent state; the
 * first step of {@link PartitionLog#open}.
 *
 * <ol>
 *   <li>Deletes leftovers: {@code *.deleted} segments whose delayed deletion did not run,
 *       {@code *.tmp} files, {@code *.cleaned} files of a cleaning that never reached its swap
 *       (the segments it read are intact), and index files without a {@code .log} file.</li>
 *   <li>Completes an interrupted cleaner swap, as Kafka does: each {@code *.log.swap} segment
 *       is rescanned (its indexes rebuilt), the segments whose base offsets lie in its offset
 *       range are deleted, and its files lose the {@code .swap} suffix.</li>
 *   <li>Opens every {@code .log} file with its indexes.</li>
 *   <li>Rescans ({@link SegmentRecovery}) every segment whose indexes are missing or fail
 *       their sanity check and, after an unclean stop, every segment holding offsets at or past
 *       the recovery point. If a rescan truncates a segment, the later segments hold data written
 *       after a corruption and are deleted. The batch headers of every segment are replayed in
 *       order through a {@link TransactionTracker}, so that a rescan rebuilds the segment's
 *       {@code .txnindex} from the transactions open before it, and the log knows its open
 *       transactions.</li>
 *   <li>Trims the indexes of inactive segments and grows those of the active segment back to
 *       {@code segment.index.bytes}.</li>
 *   <li>Clamps the log start offset to the segments and drops the leader epochs outside the log.</li>
 * </ol>
 *
 * <p>Not thread-safe: runs before the log is published.
 */
final class LogLoader {

    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    /**
     * The loaded state.
     *
     * @param logStartOffset   the checkpointed log start offset, raised to the first segment and
     *                         lowered to the log end if the files no longer cover it
     * @param leaderEpochCache the {@code leader-epoch-checkpoint}, without entries outside
     *                         [log start offset, log end offset]
     */
    record Loaded(
            LogSegments segments,
            long logStartOffset,
            long logEndOffset,
            long recoveryPoint,
            LeaderEpochFileCache leaderEpochCache,
            TransactionTracker transactions,
            LogLoadInfo info) {}

    private LogLoader() {}

    static Loaded load(
            File dir, LogConfig config, long logStartOffset, long recoveryPoint, boolean hadCleanShutdown, Clock clock)
            throws IOException {
        Files.createDirectories(dir.toPath());
        removeLeftovers(dir);
        completeSwaps(dir, config, clock);
        removeOrphanIndexes(dir);
        LogSegments segments = new LogSegments();
        try {
            File[] files = dir.listFiles();
            if (files != null) {
                for (File file : files) {
                    if (LogFileNames.isLogFile(file)) {
                        long base = LogFileNames.offsetFromFileName(file.getName());
                        segments.add(LogSegment.open(dir, base, config, clock, true));
                    }
                }
            }
            if (segments.isEmpty()) {
                long base = Math.max(0, logStartOffset);
                segments.add(LogSegment.open(dir, base, config, clock, false));
            }
            TransactionTracker transactions = new TransactionTracker();
            List<LogSegment> rescanned = new ArrayList<>();
            long truncated = 0;
            List<LogSegment> all = segments.snapshot();
            for (int i = 0; i < all.size(); i++) {
                LogSegment segment = all.get(i);
                long nextBase = i + 1 < all.size() ? all.get(i + 1).baseOffset() : Long.MAX_VALUE;
                boolean unflushed = !hadCleanShutdown && nextBase > recoveryPoint;
                String reason =
                        unflushed ? "unclean shutdown, past recovery point " + recoveryPoint : indexProblem(segment);
                if (reason == null) {
                    segment.loadLargestTimestamp(false);
                    transactions.replay(segment.log().batches());
                    continue;
                }
                if (segment.size() > 0) {
                    LOG.info("Recovering segment {} of {} ({})", segment.baseOffset(), dir, reason);
                }
                rescanned.add(segment);
                int bytes = SegmentRecovery.recover(segment, transactions::onBatch);
                truncated += bytes;
                if (bytes > 0 && i + 1 < all.size()) {
                    for (LogSegment dropped : all.subList(i + 1, all.size())) {
                        segments.remove(dropped);
                        LOG.warn(
                                "Deleting segment {} of {}: it follows corrupt data in segment {}",
                                dropped.baseOffset(),
                                dir,
                                segment.baseOffset());
                        truncated += dropped.size();
                        dropped.deleteIfExists();
                    }
                    break;
                }
            }
            LogSegment active = segments.activeSegment();
            for (LogSegment segment : segments.values()) {
                if (segment != active) {
                    segment.onBecomeInactiveSegment();
                }
            }
            active.resizeIndexes(config.segmentIndexBytes());
            long logEndOffset = active.readNextOffset();
            for (LogSegment segment : rescanned) {
                if (segments.contains(segment)) {
                    segment.flush();
                }
            }
            // after a clean shutdown everything was flushed; otherwise everything past the old
            // recovery point was just rescanned and flushed
            long newRecoveryPoint =
                    hadCleanShutdown || !rescanned.isEmpty() ? logEndOffset : Math.min(recoveryPoint, logEndOffset);
            long newLogStartOffset = Math.min(Math.max(logStartOffset, segments.firstBaseOffset()), logEndOffset);
            LeaderEpochFileCache cache = new LeaderEpochFileCache(
                    dir.getName(), new File(dir, LogFileNames.LEADER_EPOCH_CHECKPOINT_FILE).toPath());
            cache.truncateFromEnd(logEndOffset);
            cache.truncateFromStart(newLogStartOffset);
            LogLoadInfo info =
                    new LogLoadInfo(hadCleanShutdown, segments.numberOfSegments(), rescanned.size(), truncated);
            LOG.info(
                    "Loaded log {} from {}: {} segments, log start offset {}, log end offset {}, {} segments "
                            + "recovered, {} bytes truncated",
                    dir.getName(),
                    dir,
                    info.segments(),
                    newLogStartOffset,
                    logEndOffset,
                    info.segmentsRecovered(),
                    info.bytesTruncated());
            return new Loaded(segments, newLogStartOffset, logEndOffset, newRecoveryPoint, cache, transactions, info);
        } catch (IOException | RuntimeException e) {
            segments.closeHandlers();
            throw e;
        }
    }

    /** Why a segment's indexes cannot be trusted, or null if they pass. */
    private static String indexProblem(LogSegment segment) {
        if (!segment.indexFilesExisted()) {
            return "index file missing";
        }
        try {
            segment.sanityCheck();
            return null;
        } catch (CorruptIndexException e) {
            return e.getMessage();
        }
    }

    private static void removeLeftovers(File dir) throws IOException {
        File[] files = dir.listFiles();
        if (files == null) {
            throw new IOException("Cannot list log directory " + dir.getAbsolutePath());
        }
        for (File file : files) {
            String name = file.getName();
            boolean swapIndex = name.endsWith(LogFileNames.SWAP_FILE_SUFFIX)
                    && !name.endsWith(LogFileNames.LOG_FILE_SUFFIX + LogFileNames.SWAP_FILE_SUFFIX)
                    && !isSwapTxnIndexWithItsLog(dir, name);
            if (name.endsWith(LogFileNames.DELETED_FILE_SUFFIX)
                    || name.endsWith(LogFileNames.TMP_FILE_SUFFIX)
                    || name.endsWith(LogFileNames.CLEANED_FILE_SUFFIX)
                    || swapIndex) {
                // a swap segment's indexes may be stale or half renamed: they are rebuilt
                LOG.info("Deleting leftover file {}", file.getAbsolutePath());
                Utils.delete(file);
            }
        }
    }

    /**
     * A swap segment's transaction index was written whole before the swap and cannot be rebuilt
     * from the segment alone: it is kept while its {@code .log.swap} exists.
     */
    private static boolean isSwapTxnIndexWithItsLog(File dir, String name) {
        String txnSwap = LogFileNames.TXN_INDEX_FILE_SUFFIX + LogFileNames.SWAP_FILE_SUFFIX;
        if (!name.endsWith(txnSwap)) {
            return false;
        }
        String prefix = name.substring(0, name.length() - txnSwap.length());
        return new File(dir, prefix + LogFileNames.LOG_FILE_SUFFIX + LogFileNames.SWAP_FILE_SUFFIX).exists();
    }

    /** Finishes the swaps a crash interrupted; see the class comment. */
    private static void completeSwaps(File dir, LogConfig config, Clock clock) throws IOException {
        String swapLogSuffix = LogFileNames.LOG_FILE_SUFFIX + LogFileNames.SWAP_FILE_SUFFIX;
        File[] swaps = dir.listFiles((d, name) -> name.endsWith(swapLogSuffix));
        if (swaps == null) {
            throw new IOException("Cannot list log directory " + dir.getAbsolutePath());
        }
        Arrays.sort(swaps);
        for (File swap : swaps) {
            long base = LogFileNames.offsetFromFileName(swap.getName());
            LogSegment segment = LogSegment.open(dir, base, config, clock, true, LogFileNames.SWAP_FILE_SUFFIX);
            try {
                SegmentRecovery.recover(segment);
                long next = segment.readNextOffset();
                File[] replaced = dir.listFiles(f -> LogFileNames.isLogFile(f));
                for (File old : replaced == null ? new File[0] : replaced) {
                    long oldBase = LogFileNames.offsetFromFileName(old.getName());
                    if (oldBase >= base && oldBase < Math.max(next, base + 1)) {
                        for (File file : LogFileNames.segmentFiles(dir, oldBase)) {
                            Files.deleteIfExists(file.toPath());
                        }
                    }
                }
                segment.files().changeSuffixes(LogFileNames.SWAP_FILE_SUFFIX, "");
                segment.flush();
                LOG.info(
                        "Completed the swap of cleaned segment {} of {} (offsets {} to {})", base, dir, base, next - 1);
            } finally {
                segment.close();
            }
        }
        if (swaps.length > 0) {
            Utils.flushDir(dir.toPath());
        }
    }

    private static void removeOrphanIndexes(File dir) throws IOException {
        File[] files = dir.listFiles();
        if (files == null) {
            throw new IOException("Cannot list log directory " + dir.getAbsolutePath());
        }
        for (File file : files) {
            String name = file.getName();
            if (LogFileNames.isIndexFile(file)) {
                long base = LogFileNames.offsetFromFileName(name);
                if (!LogFileNames.logFile(dir, base).exists()) {
                    LOG.warn("Deleting index file {} that has no log file", file.getAbsolutePath());
                    Files.deleteIfExists(file.toPath());
                }
            }
        }
    }
}
