package io.tributary.storage.log;

import static io.tributary.storage.log.Segments.NOW;
import static io.tributary.storage.log.Segments.batchAt;
import static io.tributary.storage.log.Segments.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentRollPolicyTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW);

    @Test
    void shouldRollWhenFullTooOldOrTheOffsetDoesNotFitIn32Bits() throws IOException {
        LogConfig config = config(Map.of(LogConfig.SEGMENT_MS_CONFIG, "10000"));
        LogSegment segment = LogSegment.open(tmp.toFile(), 0, config, clock, false);
        try {
            assertThat(SegmentRollPolicy.shouldRoll(segment, 100, NOW, 2, NOW, config))
                    .isFalse();
            assertThat(SegmentRollPolicy.shouldRoll(segment, 10_000, NOW + 20_000, 2, NOW, config))
                    .as("an empty segment takes any append")
                    .isFalse();

            segment.append(batchAt(0, NOW, 3));
            assertThat(SegmentRollPolicy.shouldRoll(segment, 10, NOW + 1000, 5, NOW, config))
                    .isFalse();
            assertThat(SegmentRollPolicy.shouldRoll(segment, config.segmentBytes(), NOW + 1000, 5, NOW, config))
                    .as("segment.bytes")
                    .isTrue();
            assertThat(SegmentRollPolicy.shouldRoll(segment, 10, NOW + 10_001, 5, NOW, config))
                    .as("segment.ms from the first batch's timestamp")
                    .isTrue();
            assertThat(SegmentRollPolicy.shouldRoll(segment, 10, RecordBatch.NO_TIMESTAMP, 5, NOW + 10_001, config))
                    .as("segment.ms from the segment's creation when the append has no timestamp")
                    .isTrue();
            assertThat(SegmentRollPolicy.shouldRoll(segment, 10, NOW + 1000, (long) Integer.MAX_VALUE + 1, NOW, config))
                    .as("relative offset overflow")
                    .isTrue();
        } finally {
            segment.closeHandlers();
        }
    }
}
