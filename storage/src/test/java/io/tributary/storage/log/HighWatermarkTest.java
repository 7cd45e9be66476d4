package io.tributary.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class HighWatermarkTest {

    private final LogOffsetMetadata end = new LogOffsetMetadata(100, 90, 4096);
    private final AtomicReference<LogOffsetMetadata> logEnd = new AtomicReference<>(end);
    private final AtomicInteger lookups = new AtomicInteger();
    /** What the position lookup answers; each call counts in {@link #lookups}. */
    private LongFunction<LogOffsetMetadata> positions = LogOffsetMetadata::unknown;

    private HighWatermark highWatermark(long offset) {
        return new HighWatermark(offset, new Object(), logEnd::get, () -> 0L, offset1 -> {
            lookups.incrementAndGet();
            return positions.apply(offset1);
        });
    }

    @Test
    void shouldShareTheLogEndMetadataWhenAtTheLogEnd() {
        HighWatermark hw = highWatermark(100);

        assertThat(hw.metadata()).isSameAs(end);
        assertThat(lookups).hasValue(0);
    }

    @Test
    void shouldLookUpThePositionOnceAndCacheIt() {
        HighWatermark hw = highWatermark(95);
        LogOffsetMetadata resolved = new LogOffsetMetadata(95, 90, 1000);
        positions = offset -> resolved;

        for (int i = 0; i < 3; i++) {
            assertThat(hw.metadata()).isEqualTo(resolved);
        }

        assertThat(hw.offset()).isEqualTo(95);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void shouldForgetTheCachedPositionWhenMoved() {
        HighWatermark hw = highWatermark(95);
        positions = offset -> new LogOffsetMetadata(offset, 90, 1000);
        hw.metadata();

        hw.set(97);
        positions = offset -> new LogOffsetMetadata(offset, 90, 2000);

        assertThat(hw.offset()).isEqualTo(97);
        assertThat(hw.metadata().relativePositionInSegment()).isEqualTo(2000);
    }

    @Test
    void shouldNotCacheALookupThatRacedWithAMove() {
        HighWatermark hw = highWatermark(95);
        positions = offset -> {
            hw.set(98); // a concurrent update
            return new LogOffsetMetadata(offset, 90, 1000);
        };

        LogOffsetMetadata stale = hw.metadata();

        assertThat(stale.messageOffset()).isEqualTo(95);
        assertThat(hw.offset()).isEqualTo(98);
        positions = LogOffsetMetadata::unknown;
        assertThat(hw.metadata().hasPosition()).isFalse();
    }

    @Test
    void shouldAdvanceOnlyForwardAndNoFurtherThanTheLogEnd() {
        HighWatermark hw = highWatermark(90);

        assertThat(hw.maybeIncrement(95)).isTrue();
        assertThat(hw.maybeIncrement(93)).isFalse();
        assertThat(hw.offset()).isEqualTo(95);

        assertThat(hw.maybeIncrement(120)).isTrue();
        assertThat(hw.metadata()).isSameAs(end);
    }

    @Test
    void shouldClampAnUpdateToTheLogStartAndTheLogEnd() {
        HighWatermark hw = highWatermark(50);

        assertThat(hw.update(120)).isEqualTo(100);
        assertThat(hw.metadata()).isSameAs(end);
        assertThat(hw.update(-5)).isZero();
        assertThat(hw.offset()).isZero();
    }

    @Test
    void shouldRetryAnAdvanceAgainstTheLogEndOfATruncationThatRacedWithIt() {
        LogOffsetMetadata truncatedEnd = new LogOffsetMetadata(92, 90, 2048);
        AtomicBoolean truncateOnNextRead = new AtomicBoolean();
        AtomicReference<HighWatermark> hw = new AtomicReference<>();
        hw.set(new HighWatermark(
                90,
                new Object(),
                () -> {
                    if (truncateOnNextRead.getAndSet(false)) {
                        // the truncation lowers the end and sets the value under the log's lock
                        // meanwhile: this read still returns the end from before it
                        logEnd.set(truncatedEnd);
                        hw.get().set(90);
                        return end;
                    }
                    return logEnd.get();
                },
                () -> 0L,
                LogOffsetMetadata::unknown));
        truncateOnNextRead.set(true);

        boolean moved = hw.get().maybeIncrement(100);

        assertThat(moved).isTrue();
        assertThat(hw.get().offset())
                .as("bounded by the new end, not the stale one")
                .isEqualTo(92);
    }
}
