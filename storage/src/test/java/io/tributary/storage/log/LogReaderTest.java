package io.tributary.storage.log;

import static io.tributary.storage.log.Segments.NOW;
import static io.tributary.storage.log.Segments.batchAt;
import static io.tributary.storage.log.Segments.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW);
    private final LogSegments segments = new LogSegments();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private LeaderEpochFileCache epochs;
    private LogReader reader;
    private LogSegment s0;
    private LogSegment s6;

    /** Segment 0 holds 0..5 (timestamps NOW, NOW+1000), segment 6 holds 6..11 (NOW+2000, NOW+3000). */
    @BeforeEach
    void setUp() throws IOException {
        File dir = tmp.toFile();
        s0 = LogSegment.open(dir, 0, config(), clock, false);
        s0.append(batchAt(0, NOW, 3));
        s0.append(batchAt(3, NOW + 1000, 3));
        s6 = LogSegment.open(dir, 6, config(), clock, false);
        s6.append(batchAt(6, NOW + 2000, 3));
        s6.append(batchAt(9, NOW + 3000, 3));
        segments.add(s0);
        segments.add(s6);
        epochs = new LeaderEpochFileCache("orders-0", tmp.resolve(LogFileNames.LEADER_EPOCH_CHECKPOINT_FILE));
        epochs.assign(1, 0);
        epochs.assign(2, 6);
        TopicPartition tp = new TopicPartition("orders", 0);
        // the bounded reads under test use only the segments and the epochs; the live state below
        // is what the public reads take their end and log start from
        LocalLog local = new LocalLog(dir, tp, clock, scheduler, segments, 12, 12);
        LogStartOffset logStart = new LogStartOffset(tp, epochs, 0);
        OfflineState offline = new OfflineState(tp, dir, logStart::get, local::logEndOffset);
        reader = new LogReader(tp, segments, epochs, local, logStart, offline);
    }

    @AfterEach
    void tearDown() {
        segments.closeHandlers();
        scheduler.shutdownNow();
    }

    private LogOffsetMetadata end() {
        return new LogOffsetMetadata(12, 6, s6.size());
    }

    @Test
    void shouldReadAcrossToTheNextSegmentFromTheEndOfOne() {
        FetchDataInfo info = reader.read(end(), 0, 6, 1 << 20, Long.MAX_VALUE, false);

        assertThat(TestRecords.offsets(info.records())).containsExactly(6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(info.fetchOffsetMetadata()).isEqualTo(new LogOffsetMetadata(6, 6, 0));
    }

    @Test
    void shouldNeverReadPastThePublishedEnd() throws IOException {
        LogOffsetMetadata end = end();
        s6.append(batchAt(12, NOW + 4000, 3)); // written, but its end not yet published

        FetchDataInfo info = reader.read(end, 0, 9, 1 << 20, Long.MAX_VALUE, false);

        assertThat(TestRecords.offsets(info.records())).containsExactly(9L, 10L, 11L);
        assertThat(reader.read(end, 0, 12, 1 << 20, Long.MAX_VALUE, false)
                        .records()
                        .sizeInBytes())
                .isZero();
        assertThatThrownBy(() -> reader.read(end, 0, 13, 100, Long.MAX_VALUE, false))
                .isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void shouldRefuseOffsetsBelowTheLogStartOffset() {
        assertThatThrownBy(() -> reader.read(end(), 3, 2, 100, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("from offset 3 up to 12");
    }

    @Test
    void shouldMapOffsetsToSegmentAndBatchPosition() {
        int secondBatch = batchAt(6, NOW + 2000, 3).sizeInBytes();

        assertThat(reader.offsetMetadata(end(), 0, 10)).isEqualTo(new LogOffsetMetadata(10, 6, secondBatch));
        assertThat(reader.offsetMetadata(end(), 0, 12)).isEqualTo(end());
        assertThat(reader.offsetMetadata(end(), 4, 2).hasPosition()).isFalse();
    }

    @Test
    void shouldAnswerTimestampsAndTheSpecialListOffsetsTimestamps() {
        assertThat(reader.offsetForTimestamp(NOW + 1500, 0, 12))
                .map(TimestampAndOffset::offset)
                .contains(6L);
        assertThat(reader.offsetForTimestamp(NOW + 5000, 0, 12)).isEmpty();
        assertThat(reader.offsetForTimestamp(ListOffsetsRequest.EARLIEST_TIMESTAMP, 3, 12))
                .contains(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, 3, Optional.of(1)));
        assertThat(reader.offsetForTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP, 0, 12))
                .contains(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, 12, Optional.of(2)));
        assertThat(reader.offsetForTimestamp(ListOffsetsRequest.MAX_TIMESTAMP, 0, 12))
                .map(TimestampAndOffset::offset)
                .contains(9L);
        assertThat(reader.offsetForTimestamp(-7, 0, 12)).isEmpty();
    }
}
