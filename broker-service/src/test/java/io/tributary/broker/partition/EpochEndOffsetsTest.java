package io.tributary.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.epoch.EpochEndOffset;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OffsetsForLeaderEpoch answers ({@link Partition#endOffsetForEpoch}), on a real log whose epoch cache holds epoch 0 at offset 0
 * and epoch 2 at offset 10 (log end 15), matching what Kafka's leader (which records its own
 * epoch on election) would say.
 */
class EpochEndOffsetsTest {

    @TempDir
    Path dir;

    private ScheduledExecutorService scheduler;
    private PartitionLog log;

    @BeforeEach
    void openLog() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        log = PartitionLog.open(new File(dir.toFile(), "topic-0"), LogConfig.defaults(), scheduler, Clock.systemUTC());
    }

    @AfterEach
    void closeLog() {
        log.close();
        scheduler.shutdownNow();
    }

    @Test
    void shouldTreatTheCurrentEpochAsStartingAtTheLogEndWhileItHasNoBatch() {
        fill();

        assertThat(EpochEndOffsets.endOffsetFor(log, 3, 3)).isEqualTo(new EpochEndOffset(3, 15));
        assertThat(EpochEndOffsets.endOffsetFor(log, 3, 2)).isEqualTo(new EpochEndOffset(2, 15));
        assertThat(EpochEndOffsets.endOffsetFor(log, 3, 1)).isEqualTo(new EpochEndOffset(0, 10));
        assertThat(EpochEndOffsets.endOffsetFor(log, 3, 0)).isEqualTo(new EpochEndOffset(0, 10));
        assertThat(EpochEndOffsets.endOffsetFor(log, 3, 4)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(EpochEndOffsets.endOffsetFor(log, 3, -1)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void shouldAnswerFromTheCacheOnceTheCurrentEpochIsInIt() {
        fill();

        assertThat(EpochEndOffsets.endOffsetFor(log, 2, 2)).isEqualTo(new EpochEndOffset(2, 15));
        assertThat(EpochEndOffsets.endOffsetFor(log, 2, 1)).isEqualTo(new EpochEndOffset(0, 10));
        assertThat(EpochEndOffsets.endOffsetFor(log, 2, 3)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void shouldAnswerFromTheCacheAloneWhenNotLeading() {
        fill();

        assertThat(EpochEndOffsets.endOffsetFor(log, -1, 2)).isEqualTo(new EpochEndOffset(2, 15));
        assertThat(EpochEndOffsets.endOffsetFor(log, -1, 3)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void shouldAnswerTheLogEndForAnEmptyLogsCurrentEpoch() {
        assertThat(EpochEndOffsets.endOffsetFor(log, 0, 0)).isEqualTo(new EpochEndOffset(0, 0));
        assertThat(EpochEndOffsets.endOffsetFor(log, 5, 1)).isEqualTo(new EpochEndOffset(1, 0));
        assertThat(EpochEndOffsets.endOffsetFor(log, 5, 6)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    /** Epoch 0: offsets 0-9; epoch 2: offsets 10-14. */
    private void fill() {
        log.appendAsLeader(batch(10), 0);
        log.appendAsLeader(batch(5), 2);
        assertThat(log.logEndOffset()).isEqualTo(15);
    }

    private static MemoryRecords batch(int count) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(
                ByteBuffer.allocate(1024 + count * 64),
                RecordBatch.MAGIC_VALUE_V2,
                Compression.NONE,
                TimestampType.CREATE_TIME,
                0L);
        for (int i = 0; i < count; i++) {
            builder.append(1_000L + i, null, ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }
}
