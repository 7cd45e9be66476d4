package io.tributary.storage.log;

import static io.tributary.storage.log.Segments.NOW;
import static io.tributary.storage.log.Segments.config;
import static io.tributary.storage.log.Segments.segmentWithBatches;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogLoaderTest {

    @TempDir
    Path tmp;

    private File dir;
    private final MutableClock clock = new MutableClock(NOW);
    private LogLoader.Loaded loaded;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("orders-0").toFile();
        assertThat(dir.mkdirs()).isTrue();
    }

    @AfterEach
    void tearDown() {
        if (loaded != null) {
            loaded.segments().closeHandlers();
        }
    }

    /** Three segments of 4 batches (12 offsets each) at 0, 12, 24, closed as a clean roll leaves them. */
    private void writeThreeSegments() throws IOException {
        for (long base : new long[] {0, 12, 24}) {
            LogSegment segment = segmentWithBatches(dir, base, 4, config(), clock);
            segment.onBecomeInactiveSegment();
            segment.close();
        }
    }

    private LogLoader.Loaded load(long logStartOffset, long recoveryPoint, boolean clean) throws IOException {
        loaded = LogLoader.load(dir, config(), logStartOffset, recoveryPoint, clean, clock);
        return loaded;
    }

    @Test
    void shouldNotRescanAnySegmentAfterACleanShutdown() throws IOException {
        writeThreeSegments();

        LogLoader.Loaded result = load(0, 0, true);

        assertThat(result.info().segmentsRecovered()).isZero();
        assertThat(result.segments().baseOffsets()).containsExactly(0L, 12L, 24L);
        assertThat(result.logEndOffset()).isEqualTo(36);
        assertThat(result.recoveryPoint()).as("everything was flushed").isEqualTo(36);
    }

    @Test
    void shouldRescanOnlySegmentsPastTheRecoveryPointAfterAnUncleanShutdown() throws IOException {
        writeThreeSegments();

        LogLoader.Loaded result = load(0, 24, false);

        assertThat(result.info().hadCleanShutdown()).isFalse();
        assertThat(result.info().segmentsRecovered()).isEqualTo(1);
        assertThat(result.info().bytesTruncated()).isZero();
        assertThat(result.logEndOffset()).isEqualTo(36);
        assertThat(result.recoveryPoint()).isEqualTo(36);
    }

    @Test
    void shouldTruncateATornTailAfterACrash() throws IOException {
        writeThreeSegments();
        Segments.chop(LogFileNames.logFile(dir, 24), 7);

        LogLoader.Loaded result = load(0, 24, false);

        assertThat(result.logEndOffset()).isEqualTo(33);
        assertThat(result.info().bytesTruncated()).isPositive();
        result.segments().activeSegment().sanityCheck();
    }

    @Test
    void shouldDeleteSegmentsThatFollowGarbageInAnEarlierSegment() throws IOException {
        writeThreeSegments();
        long laterBytes = LogFileNames.logFile(dir, 12).length()
                + LogFileNames.logFile(dir, 24).length();
        Segments.appendGarbage(LogFileNames.logFile(dir, 0), 50);

        LogLoader.Loaded result = load(0, 0, false);

        assertThat(result.segments().baseOffsets()).containsExactly(0L);
        assertThat(result.logEndOffset()).isEqualTo(12);
        assertThat(result.info().bytesTruncated()).isEqualTo(50 + laterBytes);
        assertThat(LogFileNames.logFile(dir, 12)).doesNotExist();
        assertThat(LogFileNames.logFile(dir, 24)).doesNotExist();
    }

    @Test
    void shouldRebuildAMissingIndexEvenAfterACleanShutdown() throws IOException {
        writeThreeSegments();
        Files.delete(LogFileNames.timeIndexFile(dir, 12).toPath());

        LogLoader.Loaded result = load(0, 36, true);

        assertThat(result.info().segmentsRecovered()).isEqualTo(1);
        assertThat(LogFileNames.timeIndexFile(dir, 12)).exists();
        assertThat(result.segments().floorSegment(12).timeIndex().entries()).isPositive();
    }

    @Test
    void shouldRebuildAnIndexThatFailsItsSanityCheck() throws IOException {
        writeThreeSegments();
        // an index whose length is not a multiple of its 8-byte entries
        Segments.appendGarbage(LogFileNames.offsetIndexFile(dir, 0), 3);

        LogLoader.Loaded result = load(0, 36, true);

        assertThat(result.info().segmentsRecovered()).isEqualTo(1);
        result.segments().values().forEach(LogSegment::sanityCheck);
        assertThat(result.logEndOffset()).isEqualTo(36);
    }

    @Test
    void shouldDeleteLeftoverDeletedTmpAndOrphanIndexFiles() throws IOException {
        writeThreeSegments();
        File deleted = new File(dir, LogFileNames.logFile(dir, 100).getName() + LogFileNames.DELETED_FILE_SUFFIX);
        File tmpFile = new File(dir, LogFileNames.LEADER_EPOCH_CHECKPOINT_FILE + LogFileNames.TMP_FILE_SUFFIX);
        File orphan = LogFileNames.offsetIndexFile(dir, 200);
        for (File f : new File[] {deleted, tmpFile, orphan}) {
            Files.write(f.toPath(), new byte[] {1, 2, 3});
        }

        load(0, 36, true);

        assertThat(deleted).doesNotExist();
        assertThat(tmpFile).doesNotExist();
        assertThat(orphan).doesNotExist();
        assertThat(loaded.segments().baseOffsets()).containsExactly(0L, 12L, 24L);
    }

    @Test
    void shouldClampTheLogStartOffsetToTheSegmentsAndStartAnEmptyLogThere() throws IOException {
        writeThreeSegments();
        assertThat(load(5, 36, true).logStartOffset()).isEqualTo(5);
        loaded.segments().closeHandlers();
        assertThat(load(1000, 36, true).logStartOffset())
                .as("above the log end")
                .isEqualTo(36);
        loaded.segments().closeHandlers();

        File empty = tmp.resolve("empty-0").toFile();
        loaded = LogLoader.load(empty, config(), 42, 0, false, clock);

        assertThat(loaded.segments().baseOffsets()).containsExactly(42L);
        assertThat(loaded.logStartOffset()).isEqualTo(42);
        assertThat(loaded.logEndOffset()).isEqualTo(42);
    }
}
