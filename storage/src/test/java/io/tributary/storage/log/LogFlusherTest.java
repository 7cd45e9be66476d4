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
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFlusherTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private LocalLog log;
    private LeaderEpochFileCache epochs;
    private OfflineState offline;
    private LogFlusher flusher;

    @BeforeEach
    void setUp() throws IOException {
        File dir = Files.createDirectories(tmp.resolve("orders-0")).toFile();
        LogSegments segments = new LogSegments();
        segments.add(LogSegment.open(dir, 0, config(), clock, false));
        log = new LocalLog(dir, TP, clock, scheduler, segments, 0, 0);
        epochs = new LeaderEpochFileCache("orders-0", dir.toPath().resolve(LogFileNames.LEADER_EPOCH_CHECKPOINT_FILE));
        offline = new OfflineState(TP, dir, () -> 0, log::logEndOffset);
        flusher = new LogFlusher(TP, new Object(), log, epochs, offline, scheduler, clock);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        log.closeHandlers();
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Appends a batch of 3 records at the log end. */
    private void append() throws IOException {
        long end = log.logEndOffset();
        log.append(log.segments().activeSegment(), batchAt(end, NOW, 3), end + 2);
    }

    @Test
    void shouldFlushAfterAnAppendOnlyOnceFlushMessagesOffsetsAreAboveTheRecoveryPoint() throws IOException {
        LogConfig everyFiveMessages = config(Map.of(LogConfig.FLUSH_MESSAGES_CONFIG, "5"));

        append();
        flusher.maybeFlushAfterAppend(log.logEndOffset(), everyFiveMessages);
        assertThat(log.recoveryPoint()).as("3 offsets unflushed").isZero();

        append();
        flusher.maybeFlushAfterAppend(log.logEndOffset(), everyFiveMessages);
        assertThat(log.recoveryPoint()).as("6 offsets unflushed").isEqualTo(6);
    }

    @Test
    void shouldFlushWhenDueOnlyAfterFlushMsHasPassed() throws IOException {
        LogConfig everySecond = config(Map.of(LogConfig.FLUSH_MS_CONFIG, "1000"));
        append();

        clock.advance(999);
        flusher.flushIfDue(everySecond);
        assertThat(log.recoveryPoint()).isZero();

        clock.advance(1);
        flusher.flushIfDue(everySecond);
        assertThat(log.recoveryPoint()).isEqualTo(3);
        assertThat(log.lastFlushTimeMs()).isEqualTo(NOW + 1000);
    }

    @Test
    void shouldWriteTheLeaderEpochCheckpointWithTheSegments() throws IOException {
        append();
        epochs.assign(4, 0);

        flusher.flushUpTo(3);

        LeaderEpochFileCache reopened = new LeaderEpochFileCache("orders-0", epochs.file());
        assertThat(reopened.latestEpoch()).hasValue(4);
    }

    @Test
    void shouldFlushInTheBackgroundUpToTheGivenOffset() throws Exception {
        append();
        log.roll(config());
        append();

        flusher.flushInBackground(3);
        scheduler.submit(() -> {}).get(5, TimeUnit.SECONDS);

        assertThat(log.recoveryPoint()).isEqualTo(3);
    }

    @Test
    void shouldSkipTheBackgroundFlushWhenTheSchedulerIsShutDown() throws IOException {
        append();
        scheduler.shutdownNow();

        flusher.flushInBackground(3);

        assertThat(log.recoveryPoint()).isZero();
    }

    @Test
    void shouldTakeThePartitionOfflineWhenAnFsyncFails() throws IOException {
        append();
        log.segments().activeSegment().closeHandlers();

        assertThatThrownBy(() -> flusher.flushUpTo(3))
                .isInstanceOf(KafkaStorageException.class)
                .hasMessageContaining("flush");
        assertThat(offline.isOffline()).isTrue();
        assertThat(log.recoveryPoint()).isZero();
    }
}
