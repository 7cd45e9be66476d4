package io.tributary.storage.log;

import static io.tributary.storage.log.Segments.NOW;
import static io.tributary.storage.log.Segments.config;
import static io.tributary.storage.log.Segments.segmentWithBatches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSegmentsTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW);
    private final LogSegments segments = new LogSegments();
    private LogSegment s0;
    private LogSegment s10;
    private LogSegment s20;

    @BeforeEach
    void setUp() throws IOException {
        s0 = segmentWithBatches(tmp.toFile(), 0, 2, config(), clock);
        s10 = segmentWithBatches(tmp.toFile(), 10, 1, config(), clock);
        s20 = segmentWithBatches(tmp.toFile(), 20, 0, config(), clock);
        segments.add(s20);
        segments.add(s0);
        segments.add(s10);
    }

    @AfterEach
    void tearDown() {
        s0.closeHandlers();
        s10.closeHandlers();
        s20.closeHandlers();
    }

    @Test
    void shouldOrderSegmentsByBaseOffsetWithTheLastOneActive() {
        assertThat(segments.baseOffsets()).containsExactly(0L, 10L, 20L);
        assertThat(segments.activeSegment()).isSameAs(s20);
        assertThat(segments.firstSegment()).isSameAs(s0);
        assertThat(segments.numberOfSegments()).isEqualTo(3);
        assertThat(segments.sizeInBytes()).isEqualTo(s0.size() + s10.size()).isPositive();
    }

    @Test
    void shouldFindTheSegmentThatWouldHoldAnOffset() {
        assertThat(segments.floorSegment(0)).isSameAs(s0);
        assertThat(segments.floorSegment(9)).isSameAs(s0);
        assertThat(segments.floorSegment(10)).isSameAs(s10);
        assertThat(segments.floorSegment(1000)).isSameAs(s20);
        assertThat(segments.higherSegment(0)).isSameAs(s10);
        assertThat(segments.higherSegment(20)).isNull();
        assertThat(segments.nextBaseOffset(s10)).isEqualTo(20);
        assertThat(segments.nextBaseOffset(s20)).isNull();
    }

    @Test
    void shouldReturnTheSegmentsCoveringAnOffsetRange() {
        assertThat(segments.range(5, 15)).containsExactly(s0, s10);
        assertThat(segments.range(10, 20)).containsExactly(s10);
        assertThat(segments.range(15, 15)).isEmpty();
        assertThat(segments.segmentsAbove(10)).containsExactly(s20);
        assertThat(segments.segmentsAbove(9)).containsExactly(s10, s20);
    }

    @Test
    void shouldRemoveOnlyTheSegmentStoredUnderItsBaseOffset() throws IOException {
        LogSegment other =
                segmentWithBatches(Files.createDirectories(tmp.resolve("other")).toFile(), 10, 0, config(), clock);
        try {
            assertThat(segments.remove(other)).isFalse();
            assertThat(segments.contains(s10)).isTrue();
            assertThat(segments.contains(other)).isFalse();

            assertThat(segments.remove(s10)).isTrue();

            assertThat(segments.contains(s10)).isFalse();
            assertThat(segments.baseOffsets()).containsExactly(0L, 20L);
            assertThat(segments.floorSegment(15)).isSameAs(s0);
        } finally {
            other.closeHandlers();
        }
    }

    @Test
    void shouldRefuseToNameAnActiveSegmentWhenEmpty() {
        LogSegments empty = new LogSegments();
        assertThat(empty.isEmpty()).isTrue();
        assertThatThrownBy(empty::activeSegment).isInstanceOf(NoSuchElementException.class);
    }
}
