package io.tributary.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogStartOffsetTest {

    @TempDir
    Path tmp;

    private LeaderEpochFileCache epochs;
    private LogStartOffset start;

    @BeforeEach
    void setUp() throws IOException {
        epochs = new LeaderEpochFileCache("orders-0", tmp.resolve(LogFileNames.LEADER_EPOCH_CHECKPOINT_FILE));
        epochs.assign(1, 0);
        epochs.assign(2, 10);
        start = new LogStartOffset(new TopicPartition("orders", 0), epochs, 5);
    }

    @Test
    void shouldOnlyMoveUpAndDropTheEpochEntriesBelowTheNewStart() {
        assertThat(start.maybeIncrement(5, "test")).isFalse();
        assertThat(start.maybeIncrement(3, "test")).isFalse();
        assertThat(start.get()).isEqualTo(5);

        assertThat(start.maybeIncrement(12, "test")).isTrue();

        assertThat(start.get()).isEqualTo(12);
        assertThat(epochs.earliestEntry()).hasValueSatisfying(entry -> {
            assertThat(entry.epoch()).isEqualTo(2);
            assertThat(entry.startOffset()).isEqualTo(12);
        });
    }

    @Test
    void shouldNeverLieAboveTheLogEndAfterATruncation() {
        start.lowerTo(8);
        assertThat(start.get()).as("truncation above the start leaves it").isEqualTo(5);

        start.lowerTo(2);
        assertThat(start.get()).isEqualTo(2);

        start.restartAt(100);
        assertThat(start.get()).isEqualTo(100);
    }

    @Test
    void shouldTargetTheHighWatermarkForMinusOneAndRefuseOffsetsAboveIt() {
        assertThat(start.deleteRecordsTarget(-1, 40)).isEqualTo(40);
        assertThat(start.deleteRecordsTarget(40, 40)).isEqualTo(40);
        assertThat(start.deleteRecordsTarget(7, 40)).isEqualTo(7);

        assertThatThrownBy(() -> start.deleteRecordsTarget(41, 40))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("orders-0")
                .hasMessageContaining("high watermark 40");
        assertThatThrownBy(() -> start.deleteRecordsTarget(-2, 40)).isInstanceOf(OffsetOutOfRangeException.class);
    }
}
