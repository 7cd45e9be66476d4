package io.tributary.storage.log;

import static io.tributary.storage.log.Segments.NOW;
import static io.tributary.storage.log.Segments.config;
import static io.tributary.storage.log.Segments.segmentWithBatches;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRetentionTest {

    private static final long DAY = 24 * 3600 * 1000L;

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW);
    private final LogSegments log = new LogSegments();

    /** Four segments of 2 batches (6 offsets) at 0, 6, 12, 18; max timestamps NOW + 1s. */
    @BeforeEach
    void setUp() throws IOException {
        for (long base = 0; base <= 18; base += 6) {
            log.add(segmentWithBatches(tmp.toFile(), base, 2, config(), clock));
        }
    }

    @AfterEach
    void tearDown() {
        log.closeHandlers();
    }

    private static LogConfig retention(String ms, String bytes) {
        return config(Map.of(LogConfig.RETENTION_MS_CONFIG, ms, LogConfig.RETENTION_BYTES_CONFIG, bytes));
    }

    @Test
    void shouldDeleteNothingWithinRetention() {
        LogRetention.Deletable deletable =
                LogRetention.deletableSegments(log, retention("" + DAY, "-1"), NOW + 1000, 0, 24);

        assertThat(deletable.isEmpty()).isTrue();
    }

    @Test
    void shouldDeleteEverySegmentPastRetentionMsButTheActiveOne() {
        LogRetention.Deletable deletable =
                LogRetention.deletableSegments(log, retention("" + DAY, "-1"), NOW + 2 * DAY, 0, 24);

        assertThat(deletable.segments()).extracting(LogSegment::baseOffset).containsExactly(0L, 6L, 12L);
        assertThat(deletable.reasons()).hasSize(3).allMatch(r -> r.contains("retention.ms"));
    }

    @Test
    void shouldDeleteOldestSegmentsOnlyWhileTheLogStaysAtOrAboveRetentionBytes() {
        // one byte short of allowing the two oldest segments to go
        long twoOldest = log.firstSegment().size() + log.higherSegment(0).size();
        String limit = Long.toString(log.sizeInBytes() - twoOldest + 1);

        LogRetention.Deletable deletable = LogRetention.deletableSegments(log, retention("-1", limit), NOW, 0, 24);

        assertThat(deletable.segments()).extracting(LogSegment::baseOffset).containsExactly(0L);
    }

    @Test
    void shouldNeverDeleteASegmentHoldingOffsetsAtOrAboveTheHighWatermark() {
        LogRetention.Deletable deletable =
                LogRetention.deletableSegments(log, retention("" + DAY, "-1"), NOW + 2 * DAY, 0, 11);

        assertThat(deletable.segments()).extracting(LogSegment::baseOffset).containsExactly(0L);
    }

    @Test
    void shouldDeleteSegmentsBelowTheLogStartOffsetEvenWithoutTimeOrSizeRetention() {
        LogConfig compact = config(Map.of(LogConfig.CLEANUP_POLICY_CONFIG, LogConfig.CLEANUP_POLICY_COMPACT));

        LogRetention.Deletable deletable = LogRetention.deletableSegments(log, compact, NOW + 2 * DAY, 13, 24);

        assertThat(deletable.segments()).extracting(LogSegment::baseOffset).containsExactly(0L, 6L);
        assertThat(deletable.reasons()).allMatch(r -> r.contains("below log start offset 13"));
    }

    @Test
    void shouldRemoveTheDeletableSegmentsAndRaiseTheLogStartOffsetToTheFirstRemainingOne() throws IOException {
        TopicPartition tp = new TopicPartition("orders", 0);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            LocalLog local = new LocalLog(tmp.toFile(), tp, clock, scheduler, log, 24, 24);
            LeaderEpochFileCache epochs =
                    new LeaderEpochFileCache("orders-0", tmp.resolve(LogFileNames.LEADER_EPOCH_CHECKPOINT_FILE));
            epochs.assign(3, 0);
            LogStartOffset start = new LogStartOffset(tp, epochs, 0);

            int deleted = LogRetention.deleteOldSegments(local, start, retention("" + DAY, "-1"), NOW + 2 * DAY, 24);

            assertThat(deleted).isEqualTo(3);
            assertThat(log.baseOffsets()).containsExactly(18L);
            assertThat(start.get()).isEqualTo(18);
            assertThat(epochs.earliestEntry())
                    .hasValueSatisfying(e -> assertThat(e.startOffset()).isEqualTo(18));
            assertThat(LogRetention.deleteOldSegments(local, start, retention("" + DAY, "-1"), NOW + 2 * DAY, 24))
                    .as("nothing left to delete")
                    .isZero();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
