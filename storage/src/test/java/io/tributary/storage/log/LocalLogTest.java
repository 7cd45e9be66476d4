package io.tributary.storage.log;

import static io.tributary.storage.log.Segments.NOW;
import static io.tributary.storage.log.Segments.batchAt;
import static io.tributary.storage.log.Segments.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLogTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private File dir;
    private LocalLog log;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectories(tmp.resolve("orders-0")).toFile();
        LogSegments segments = new LogSegments();
        segments.add(LogSegment.open(dir, 0, config(), clock, false));
        log = new LocalLog(dir, new TopicPartition("orders", 0), clock, scheduler, segments, 0, 0);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        log.closeHandlers();
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Appends a batch of 3 records at the log end. */
    private void append() throws IOException {
        long end = log.logEndOffset();
        log.append(log.segments().activeSegment(), batchAt(end, NOW, 3), end + 2);
    }

    @Test
    void shouldPublishTheEndAfterEachAppend() throws IOException {
        append();
        append();

        LogOffsetMetadata end = log.logEndOffsetMetadata();
        assertThat(end.messageOffset()).isEqualTo(6);
        assertThat(end.segmentBaseOffset()).isZero();
        assertThat(end.relativePositionInSegment())
                .isEqualTo(log.segments().activeSegment().size());
    }

    @Test
    void shouldRollAtTheLogEndUnlessTheActiveSegmentIsEmpty() throws IOException {
        LogSegment first = log.segments().activeSegment();
        assertThat(log.roll(config())).as("empty active segment").isSameAs(first);

        append();
        LogSegment rolled = log.roll(config());

        assertThat(rolled.baseOffset()).isEqualTo(3);
        assertThat(log.segments().baseOffsets()).containsExactly(0L, 3L);
        assertThat(log.logEndOffsetMetadata()).isEqualTo(new LogOffsetMetadata(3, 3, 0));
        assertThat(first.offsetIndex().file().length())
                .as("the rolled segment's index is trimmed")
                .isEqualTo(first.offsetIndex().sizeInBytes());
    }

    @Test
    void shouldDeleteLeftoverFilesAtTheNewBaseBeforeRolling() throws IOException {
        append();
        File leftover = LogFileNames.logFile(dir, 3);
        Files.write(leftover.toPath(), new byte[] {1, 2, 3, 4});

        LogSegment rolled = log.roll(config());

        assertThat(rolled.size()).isZero();
        assertThat(leftover.length()).isZero();
    }

    @Test
    void shouldTruncateAcrossSegmentsAndLowerTheRecoveryPoint() throws IOException {
        append();
        log.roll(config());
        append();
        append();
        log.flushSegments(9);
        log.markFlushed(9);
        assertThat(log.recoveryPoint()).isEqualTo(9);

        long newEnd = log.truncateTo(1, config());

        assertThat(newEnd).as("the whole batch 0..2 goes").isZero();
        assertThat(log.segments().baseOffsets()).containsExactly(0L);
        assertThat(log.recoveryPoint()).isZero();
        assertThat(LogFileNames.logFile(dir, 3))
                .as("renamed for delayed deletion")
                .doesNotExist();
    }

    @Test
    void shouldRestartEmptyAtANewOffset() throws IOException {
        append();

        log.truncateFullyAndStartAt(500, config());

        assertThat(log.segments().baseOffsets()).containsExactly(500L);
        assertThat(log.logEndOffsetMetadata()).isEqualTo(new LogOffsetMetadata(500, 500, 0));
        assertThat(log.recoveryPoint()).isEqualTo(500);
    }

    @Test
    void shouldNeverMoveTheRecoveryPointDownOnAFlush() throws IOException {
        append();
        append();
        log.markFlushed(6);
        clock.advance(1000);

        log.markFlushed(3);

        assertThat(log.recoveryPoint()).isEqualTo(6);
        assertThat(log.lastFlushTimeMs()).isEqualTo(NOW);
    }
}
