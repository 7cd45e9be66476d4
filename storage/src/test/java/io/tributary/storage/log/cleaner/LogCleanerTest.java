package io.tributary.storage.log.cleaner;

import static io.tributary.storage.log.cleaner.CleanerTestLogs.NOW;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.compactedConfig;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.entries;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.latest;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.LogFileNames;
import io.tributary.storage.log.LogManager;
import io.tributary.storage.log.LogManagerConfig;
import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.checkpoint.OffsetCheckpointFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleaner threads over a real {@link LogManager}: choosing logs, checkpointing progress, restarting. */
class LogCleanerTest {

    private static final TopicPartition COMPACTED = new TopicPartition("compacted", 0);
    private static final TopicPartition PLAIN = new TopicPartition("plain", 0);

    @TempDir
    Path dir;

    private static final CleanerConfig FAST = new CleanerConfig(true, 1, 1 << 20, 4096, Double.MAX_VALUE, 20);

    @Test
    void shouldCleanCompactedLogsOnlyAndCheckpointTheirProgressAcrossRestarts() throws Exception {
        LogManager logs = LogManager.start(LogManagerConfig.of(List.of(dir)), Clock.systemUTC());
        Uuid topicId = Uuid.randomUuid();
        PartitionLog compacted = logs.getOrCreateLog(COMPACTED, topicId, compactedConfig(Map.of()));
        PartitionLog plain = logs.getOrCreateLog(
                PLAIN, Uuid.randomUuid(), LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, "1024")));
        for (int round = 0; round < 20; round++) {
            for (int k = 0; k < 10; k++) {
                compacted.appendAsLeader(record(NOW, "k" + k, "v" + round), 0);
                plain.appendAsLeader(record(NOW, "k" + k, "v" + round), 0);
            }
        }
        compacted.highWatermark().update(compacted.logEndOffset());
        plain.highWatermark().update(plain.logEndOffset());
        long activeBase = compacted.segmentBaseOffsets().get(compacted.numberOfSegments() - 1);
        Map<String, String> latest = latest(entries(compacted));

        LogCleaner cleaner = LogCleaner.start(logs, FAST, Clock.systemUTC());
        awaitTrue(() -> cleaner.states().size() == 1
                && cleaner.states().get(0).lastCleaning() != null
                && cleaner.states().get(0).firstDirtyOffset() == activeBase);
        CleanerState state = cleaner.states().get(0);
        assertThat(cleaner.isRunning()).isTrue();
        cleaner.shutdown();
        assertThat(cleaner.isRunning()).isFalse();

        assertThat(state.topicPartition()).isEqualTo(COMPACTED);
        assertThat(state.dirtyRatio()).isZero();
        assertThat(entries(compacted)).hasSizeLessThan(30);
        assertThat(latest(entries(compacted))).isEqualTo(latest);
        assertThat(entries(plain)).hasSize(200);
        assertThat(new OffsetCheckpointFile(dir.resolve(LogFileNames.CLEANER_OFFSET_CHECKPOINT_FILE)).read())
                .isEqualTo(Map.of(COMPACTED, activeBase));
        logs.shutdown();

        // after a restart the checkpoint says where the dirty section starts, and new writes make it dirty again
        LogManager restarted = LogManager.start(LogManagerConfig.of(List.of(dir)), Clock.systemUTC());
        PartitionLog reopened = restarted.getOrCreateLog(COMPACTED, topicId, compactedConfig(Map.of()));
        reopened.highWatermark().update(reopened.logEndOffset());
        LogCleaner again = LogCleaner.start(
                restarted, new CleanerConfig(false, 1, 1 << 20, 4096, Double.MAX_VALUE, 20), Clock.systemUTC());
        try {
            assertThat(again.states()).singleElement().satisfies(s -> {
                assertThat(s.firstDirtyOffset()).isEqualTo(activeBase);
                assertThat(s.lastCleaning()).isNull();
            });
            assertThat(again.isRunning()).isFalse();
            assertThat(latest(entries(reopened))).isEqualTo(latest);
        } finally {
            again.shutdown();
            restarted.shutdown();
        }
    }

    @Test
    void shouldLeaveALogBelowTheMinimumDirtyRatioUntilMaxCompactionLagForcesIt() throws Exception {
        LogManager logs = LogManager.start(LogManagerConfig.of(List.of(dir)), Clock.systemUTC());
        try {
            LogConfig lazy = compactedConfig(Map.of(LogConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "1.0"));
            PartitionLog log = logs.getOrCreateLog(COMPACTED, Uuid.randomUuid(), lazy);
            for (int round = 0; round < 10; round++) {
                for (int k = 0; k < 10; k++) {
                    log.appendAsLeader(record(NOW, "k" + k, "v" + round), 0);
                }
            }
            log.highWatermark().update(log.logEndOffset());
            LogCleanerManager manager = new LogCleanerManager(logs, Clock.systemUTC());
            assertThat(manager.grabFilthiestLog()).isEmpty();

            // records written at NOW (2023) are far older than a one-hour max lag
            log.updateConfig(compactedConfig(Map.of(
                    LogConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
                    "1.0",
                    LogConfig.MAX_COMPACTION_LAG_MS_CONFIG,
                    "3600000")));
            assertThat(manager.grabFilthiestLog()).hasValueSatisfying(c -> {
                assertThat(c.needCompactionNow()).isTrue();
                assertThat(c.log()).isSameAs(log);
            });
            // and it is not handed to a second thread while the first cleans it
            assertThat(manager.grabFilthiestLog()).isEmpty();
        } finally {
            logs.shutdown();
        }
    }

    @Test
    void shouldConsiderTheWholeLogDirtyAgainAfterATruncation() throws Exception {
        LogManager logs = LogManager.start(LogManagerConfig.of(List.of(dir)), Clock.systemUTC());
        try {
            PartitionLog log = logs.getOrCreateLog(COMPACTED, Uuid.randomUuid(), compactedConfig(Map.of()));
            for (int round = 0; round < 20; round++) {
                for (int k = 0; k < 10; k++) {
                    log.appendAsLeader(record(NOW, "k" + k, "v" + round), 0);
                }
            }
            log.highWatermark().update(log.logEndOffset());
            LogCleanerManager manager = new LogCleanerManager(logs, Clock.systemUTC());
            LogToClean toClean = manager.grabFilthiestLog().orElseThrow();
            CleaningResult result = new Cleaner(
                            new OffsetMap(1 << 16),
                            4096,
                            new Throttler(Double.MAX_VALUE, System::nanoTime),
                            Clock.systemUTC(),
                            () -> false)
                    .clean(toClean);
            manager.doneCleaning(toClean, result);
            assertThat(manager.checkpointed(log)).isEqualTo(result.endOffset()).isPositive();

            log.truncateTo(result.endOffset() - 1);

            assertThat(manager.checkpointed(log)).isEqualTo(-1);
        } finally {
            logs.shutdown();
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Condition not met in 20 s");
            }
            Thread.sleep(20);
        }
    }
}
