package io.tributary.cli.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OffsetResetTest {

    private static final OffsetReset.Offsets OFFSETS = new OffsetReset.Offsets(10, 100, 50L, 70L);

    @Test
    void shouldMoveToTheEndsOfTheLog() {
        assertThat(new OffsetReset.ToEarliest().newOffset("t-0", OFFSETS)).isEqualTo(10);
        assertThat(new OffsetReset.ToLatest().newOffset("t-0", OFFSETS)).isEqualTo(100);
    }

    @Test
    void shouldClampExplicitAndShiftedOffsetsIntoTheLog() {
        assertThat(new OffsetReset.ToOffset(42).newOffset("t-0", OFFSETS)).isEqualTo(42);
        assertThat(new OffsetReset.ToOffset(5).newOffset("t-0", OFFSETS)).isEqualTo(10);
        assertThat(new OffsetReset.ToOffset(500).newOffset("t-0", OFFSETS)).isEqualTo(100);
        assertThat(new OffsetReset.ShiftBy(-20).newOffset("t-0", OFFSETS)).isEqualTo(30);
        assertThat(new OffsetReset.ShiftBy(-100).newOffset("t-0", OFFSETS)).isEqualTo(10);
        assertThat(new OffsetReset.ShiftBy(80).newOffset("t-0", OFFSETS)).isEqualTo(100);
    }

    @Test
    void shouldRefuseToShiftWithoutACommittedOffset() {
        assertThatThrownBy(() -> new OffsetReset.ShiftBy(1).newOffset("t-3", new OffsetReset.Offsets(0, 9, null, null)))
                .hasMessageContaining("t-3 has none");
    }

    @Test
    void shouldMoveToTheFirstRecordAtTheTimeOrTheEnd() {
        assertThat(new OffsetReset.ToTimestamp(1).newOffset("t-0", OFFSETS)).isEqualTo(70);
        assertThat(new OffsetReset.ToTimestamp(1).newOffset("t-0", new OffsetReset.Offsets(10, 100, 50L, null)))
                .isEqualTo(100);
    }
}
