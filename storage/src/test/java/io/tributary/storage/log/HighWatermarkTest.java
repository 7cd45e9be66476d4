package io.tributary.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HighWatermarkTest {

    private final LogOffsetMetadata end = new LogOffsetMetadata(100, 90, 4096);

    @Test
    void shouldShareTheLogEndMetadataWhenAtTheLogEnd() {
        HighWatermark hw = new HighWatermark(100, end);
        AtomicInteger lookups = new AtomicInteger();

        assertThat(hw.metadata(offset -> {
                    lookups.incrementAndGet();
                    return LogOffsetMetadata.unknown(offset);
                }))
                .isSameAs(end);
        assertThat(lookups).hasValue(0);
    }

    @Test
    void shouldLookUpThePositionOnceAndCacheIt() {
        HighWatermark hw = new HighWatermark(95, end);
        AtomicInteger lookups = new AtomicInteger();
        LogOffsetMetadata resolved = new LogOffsetMetadata(95, 90, 1000);

        for (int i = 0; i < 3; i++) {
            assertThat(hw.metadata(offset -> {
                        lookups.incrementAndGet();
                        return resolved;
                    }))
                    .isEqualTo(resolved);
        }

        assertThat(hw.offset()).isEqualTo(95);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void shouldForgetTheCachedPositionWhenMoved() {
        HighWatermark hw = new HighWatermark(95, end);
        hw.metadata(offset -> new LogOffsetMetadata(offset, 90, 1000));

        hw.set(97, end);

        assertThat(hw.offset()).isEqualTo(97);
        assertThat(hw.metadata(offset -> new LogOffsetMetadata(offset, 90, 2000))
                        .relativePositionInSegment())
                .isEqualTo(2000);
    }

    @Test
    void shouldNotCacheALookupThatRacedWithAMove() {
        HighWatermark hw = new HighWatermark(95, end);

        LogOffsetMetadata stale = hw.metadata(offset -> {
            hw.set(98, end); // a concurrent updateHighWatermark
            return new LogOffsetMetadata(offset, 90, 1000);
        });

        assertThat(stale.messageOffset()).isEqualTo(95);
        assertThat(hw.offset()).isEqualTo(98);
        assertThat(hw.metadata(LogOffsetMetadata::unknown).hasPosition()).isFalse();
    }

    @Test
    void shouldAdvanceOnlyForwardAndNoFurtherThanTheLogEnd() {
        HighWatermark hw = new HighWatermark(90, end);

        assertThat(hw.advance(95, () -> end)).isTrue();
        assertThat(hw.advance(93, () -> end)).isFalse();
        assertThat(hw.offset()).isEqualTo(95);

        assertThat(hw.advance(120, () -> end)).isTrue();
        assertThat(hw.metadata(LogOffsetMetadata::unknown)).isSameAs(end);
    }

    @Test
    void shouldRetryAnAdvanceAgainstTheLogEndOfATruncationThatRacedWithIt() {
        HighWatermark hw = new HighWatermark(90, end);
        LogOffsetMetadata truncatedEnd = new LogOffsetMetadata(92, 90, 2048);
        AtomicInteger reads = new AtomicInteger();

        boolean moved = hw.advance(100, () -> {
            if (reads.getAndIncrement() == 0) {
                // the truncation lowers the end and sets the value under the log's lock meanwhile
                hw.set(90, truncatedEnd);
                return end;
            }
            return truncatedEnd;
        });

        assertThat(moved).isTrue();
        assertThat(hw.offset()).isEqualTo(92);
        assertThat(reads).hasValue(2);
    }
}
