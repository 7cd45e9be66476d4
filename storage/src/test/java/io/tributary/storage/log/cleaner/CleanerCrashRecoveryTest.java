package io.tributary.storage.log.cleaner;

import static io.tributary.storage.log.cleaner.CleanerTestLogs.NOW;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.compactedConfig;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.entries;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.latest;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.LogFileNames;
import io.tributary.storage.log.MutableClock;
import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.cleaner.CleanerTestLogs.Entry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a kill -9 in the middle of a cleaning leaves, and that the next load recovers it without
 * losing the latest value of any key: the states are built from a real log and a real cleaning
 * of a copy of it.
 */
class CleanerCrashRecoveryTest {

    @TempDir
    Path tmp;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MutableClock clock = new MutableClock(NOW);
    private final LogConfig config = compactedConfig(Map.of());
    private File original;
    private File cleanedCopy;
    private List<Entry> written;
    private List<Entry> afterCleaning;
    private List<Long> oldBases;

    @BeforeEach
    void writeAndCleanACopy() throws Exception {
        original = tmp.resolve("a").resolve("orders-0").toFile();
        PartitionLog log = PartitionLog.open(original, config, scheduler, clock);
        for (int round = 0; round < 20; round++) {
            for (int k = 0; k < 10; k++) {
                log.appendAsLeader(record(NOW + round, "k" + k, "v" + round), 0);
            }
        }
        log.highWatermark().update(log.logEndOffset());
        written = entries(log);
        oldBases = log.segmentBaseOffsets();
        log.close();

        cleanedCopy = tmp.resolve("b").resolve("orders-0").toFile();
        copyDir(original, cleanedCopy);
        PartitionLog copy = PartitionLog.open(cleanedCopy, config, 0, 0, true, scheduler, clock);
        copy.highWatermark().update(copy.logEndOffset());
        // larger segments for the cleaning, so that it writes one cleaned segment for all old ones
        copy.updateConfig(compactedConfig(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, "1048576")));
        new Cleaner(new OffsetMap(1 << 16), 1024, new Throttler(Double.MAX_VALUE, System::nanoTime), clock, () -> false)
                .clean(LogToClean.of(copy, -1, clock.millis()));
        afterCleaning = entries(copy);
        copy.close();
        assertThat(afterCleaning).hasSizeLessThan(written.size());
        assertThat(LogFileNames.logFile(cleanedCopy, 0).length()).isPositive();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldDeleteCleanedFilesOfACleaningThatNeverReachedItsSwap() throws Exception {
        // a half-written cleaned segment next to the intact old ones
        byte[] head = Files.readAllBytes(LogFileNames.logFile(cleanedCopy, 0).toPath());
        Files.write(
                new File(original, "00000000000000000000.log.cleaned").toPath(),
                java.util.Arrays.copyOf(head, head.length / 2));
        Files.write(new File(original, "00000000000000000000.index.cleaned").toPath(), new byte[64]);

        PartitionLog recovered = PartitionLog.open(original, config, scheduler, clock);
        try {
            assertThat(entries(recovered)).isEqualTo(written);
            assertThat(recovered.segmentBaseOffsets()).isEqualTo(oldBases);
            assertThat(original.list((d, n) -> n.endsWith(LogFileNames.CLEANED_FILE_SUFFIX)))
                    .isEmpty();
        } finally {
            recovered.close();
        }
    }

    @Test
    void shouldCompleteASwapInterruptedRightAfterTheCleanedFilesWereRenamed() throws Exception {
        placeSwapFiles(true);

        assertRecoveredToTheCleanedLog();
    }

    @Test
    void shouldCompleteASwapInterruptedWhileTheOldSegmentsWereBeingRenamedForDeletion() throws Exception {
        placeSwapFiles(false);
        for (long base : oldBases.subList(0, 2)) {
            for (File file : existingSegmentFiles(original, base)) {
                Files.move(file.toPath(), Path.of(file.getPath() + LogFileNames.DELETED_FILE_SUFFIX));
            }
        }

        assertRecoveredToTheCleanedLog();
    }

    @Test
    void shouldRebuildTheIndexesOfASwapWhoseLogFileWasAlreadyRenamed() throws Exception {
        // crash in the last step: the new .log is in place, its indexes still end in .swap, the
        // old segments are all renamed .deleted
        for (long base : oldBases.subList(0, oldBases.size() - 1)) {
            for (File file : existingSegmentFiles(original, base)) {
                Files.move(file.toPath(), Path.of(file.getPath() + LogFileNames.DELETED_FILE_SUFFIX));
            }
        }
        List<File> cleaned = LogFileNames.segmentFiles(cleanedCopy, 0);
        Files.copy(cleaned.get(0).toPath(), LogFileNames.logFile(original, 0).toPath());
        Files.copy(cleaned.get(1).toPath(), Path.of(LogFileNames.offsetIndexFile(original, 0) + ".swap"));
        Files.copy(cleaned.get(2).toPath(), Path.of(LogFileNames.timeIndexFile(original, 0) + ".swap"));

        assertRecoveredToTheCleanedLog();
    }

    /** The segment's files on disk (a segment without aborted transactions has no {@code .txnindex}). */
    private static List<File> existingSegmentFiles(File dir, long base) {
        return LogFileNames.segmentFiles(dir, base).stream()
                .filter(File::exists)
                .toList();
    }

    private void placeSwapFiles(boolean withIndexes) throws IOException {
        List<File> cleaned = LogFileNames.segmentFiles(cleanedCopy, 0);
        List<File> swap = LogFileNames.segmentFiles(original, 0, LogFileNames.SWAP_FILE_SUFFIX);
        for (int i = 0; i < (withIndexes ? 3 : 1); i++) {
            Files.copy(cleaned.get(i).toPath(), swap.get(i).toPath());
        }
    }

    private void assertRecoveredToTheCleanedLog() {
        PartitionLog recovered = PartitionLog.open(original, config, scheduler, clock);
        try {
            List<Entry> entries = entries(recovered);
            assertThat(latest(entries)).isEqualTo(latest(written));
            assertThat(entries).isEqualTo(afterCleaning);
            assertThat(recovered.logEndOffset()).isEqualTo(200);
            assertThat(original.list((d, n) ->
                            n.endsWith(LogFileNames.SWAP_FILE_SUFFIX) || n.endsWith(LogFileNames.DELETED_FILE_SUFFIX)))
                    .isEmpty();
            recovered.segments().forEach(s -> s.sanityCheck());
        } finally {
            recovered.close();
        }
    }

    private static void copyDir(File from, File to) throws IOException {
        Files.createDirectories(to.toPath());
        for (File file : java.util.Objects.requireNonNull(from.listFiles())) {
            Files.copy(file.toPath(), to.toPath().resolve(file.getName()));
        }
    }
}
