package io.tributary.storage.log;

import static io.tributary.storage.log.Segments.NOW;
import static io.tributary.storage.log.Segments.config;
import static io.tributary.storage.log.Segments.segmentWithBatches;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
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
}
