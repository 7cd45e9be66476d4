package io.tributary.storage.log;

import static io.tributary.storage.log.Segments.NOW;
import static io.tributary.storage.log.Segments.batchAt;
import static io.tributary.storage.log.Segments.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogAppenderTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private LocalLog log;
    private LeaderEpochFileCache epochs;
    private OfflineState offline;
    private LogAppender appender;

    @BeforeEach
    void setUp() throws IOException {
        File dir = Files.createDirectories(tmp.resolve("orders-0")).toFile();
        LogSegments segments = new LogSegments();
        segments.add(LogSegment.open(dir, 0, config(), clock, false));
        log = new LocalLog(dir, TP, clock, scheduler, segments, 0, 0);
        epochs = new LeaderEpochFileCache("orders-0", dir.toPath().resolve(LogFileNames.LEADER_EPOCH_CHECKPOINT_FILE));
        offline = new OfflineState(TP, dir, () -> 0, log::logEndOffset);
        LogFlusher flusher = new LogFlusher(TP, new Object(), log, epochs, offline, scheduler, clock);
        appender = new LogAppender(TP, dir, clock, log, epochs, flusher, offline, new TransactionTracker());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        log.closeHandlers();
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private LogAppendInfo appendAsLeader(MemoryRecords records, int epoch) {
        AppendValidator.Validated validated = AppendValidator.validate(records, true, config(), TP, NOW);
        return appender.append(records, validated, epoch, true, config(), 0);
    }

    private LogAppendInfo appendAsFollower(MemoryRecords records) {
        AppendValidator.Validated validated = AppendValidator.validate(records, false, config(), TP, NOW);
        return appender.append(records, validated, RecordBatch.NO_PARTITION_LEADER_EPOCH, false, config(), 0);
    }

    @Test
    void shouldAssignOffsetsFromTheLogEndAndRecordTheLeaderEpoch() {
        appendAsLeader(TestRecords.batch(NOW, 3, "a"), 7);

        LogAppendInfo second = appendAsLeader(TestRecords.batch(NOW + 5, 2, "b"), 8);

        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(4);
        assertThat(second.maxTimestamp()).isEqualTo(NOW + 5);
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(epochs.latestEpoch()).hasValue(8);
        assertThat(epochs.epochForOffset(2)).hasValue(7);
    }

    @Test
    void shouldRefuseAFollowerAppendThatDoesNotStartAtTheLogEndAndWriteNothing() {
        appendAsFollower(batchAt(0, NOW, 3));

        assertThatThrownBy(() -> appendAsFollower(batchAt(5, NOW, 3)))
                .isInstanceOf(UnexpectedAppendOffsetException.class)
                .hasMessageContaining("starts at offset 5 but the log end offset is 3");
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.segments().activeSegment().size())
                .isEqualTo(batchAt(0, NOW, 3).sizeInBytes());
    }

    @Test
    void shouldRollWhenTheActiveSegmentCannotTakeTheAppend() {
        // segment.bytes is 1024 in the test config
        MemoryRecords big = TestRecords.batchOfSize(NOW, 1, 600);
        appendAsLeader(big, 0);

        LogAppendInfo info = appendAsLeader(TestRecords.batchOfSize(NOW, 1, 600), 0);

        assertThat(info.firstOffset()).isEqualTo(1);
        assertThat(log.segments().baseOffsets()).containsExactly(0L, 1L);
    }

    @Test
    void shouldNotRollAnEmptyActiveSegment() {
        LogSegment active = log.segments().activeSegment();

        assertThat(appender.roll(config())).isSameAs(active);
        assertThat(log.segments().numberOfSegments()).isEqualTo(1);
    }

    @Test
    void shouldTakeThePartitionOfflineWhenTheWriteFails() {
        log.segments().activeSegment().closeHandlers();

        assertThatThrownBy(() -> appendAsLeader(TestRecords.batch(NOW, 3, "a"), 0))
                .isInstanceOf(KafkaStorageException.class)
                .hasMessageContaining("append");
        assertThat(offline.isOffline()).isTrue();
        assertThat(log.logEndOffset()).as("the end is not published").isZero();
    }
}
