package io.tributary.storage.log;

import static io.tributary.storage.log.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentTopicIdException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final TopicPartition DASHED_7 = new TopicPartition("my-dashed-topic", 7);

    @TempDir
    Path dir1;

    @TempDir
    Path dir2;

    private final MutableClock clock = new MutableClock(NOW);
    private LogManager manager;

    @AfterEach
    void tearDown() {
        if (manager != null) {
            manager.shutdown();
        }
    }

    private LogManagerConfig config(long retentionCheckMs) {
        return new LogManagerConfig(
                List.of(dir1, dir2), PartitionLogTest.smallConfig(Map.of()), retentionCheckMs, 100, 60_000);
    }

    @Test
    void shouldCreateLogsInTheLeastLoadedDirectoryWithPartitionMetadata() throws Exception {
        manager = LogManager.start(config(60_000), clock);
        Uuid topicId = Uuid.randomUuid();

        PartitionLog first = manager.getOrCreateLog(ORDERS_0, topicId, PartitionLogTest.smallConfig(Map.of()));
        PartitionLog second = manager.getOrCreateLog(ORDERS_1, topicId, PartitionLogTest.smallConfig(Map.of()));

        assertThat(first.dir().toPath().getParent())
                .isNotEqualTo(second.dir().toPath().getParent());
        assertThat(first.dir().getName()).isEqualTo("orders-0");
        assertThat(Files.readAllLines(first.dir().toPath().resolve("partition.metadata")))
                .containsExactly("version: 0", "topic_id: " + topicId);
        assertThat(manager.getOrCreateLog(ORDERS_0, topicId, PartitionLogTest.smallConfig(Map.of())))
                .isSameAs(first);
        assertThat(manager.allLogs()).hasSize(2);
        assertThatThrownBy(() -> manager.getOrCreateLog(ORDERS_0, Uuid.randomUuid(), LogConfig.defaults()))
                .isInstanceOf(InconsistentTopicIdException.class);
    }

    @Test
    void shouldTakeTheDirectoryOfAFailedLogOfflineAndCreateNewLogsInTheOthers() throws Exception {
        manager = LogManager.start(config(60_000), clock);
        Uuid topicId = Uuid.randomUuid();
        PartitionLog failing = manager.getOrCreateLog(ORDERS_0, topicId, PartitionLogTest.smallConfig(Map.of()));
        manager.getOrCreateLog(ORDERS_1, topicId, PartitionLogTest.smallConfig(Map.of()));
        assertThat(failing.dir().toPath().getParent()).isEqualTo(dir1);
        failing.appendAsLeader(batch(NOW, 1, "a"), 0);
        failing.segments().get(0).log().channel().close(); // the disk "fails"
        assertThatThrownBy(() -> failing.appendAsLeader(batch(NOW, 1, "b"), 0))
                .isInstanceOf(KafkaStorageException.class);

        assertThat(manager.offlineLogDirs()).containsExactly(dir1);
        // both directories hold one log: without the offline one, the tie would go to dir1
        PartitionLog created = manager.getOrCreateLog(DASHED_7, topicId, PartitionLogTest.smallConfig(Map.of()));
        assertThat(created.dir().toPath().getParent()).isEqualTo(dir2);

        manager.shutdown();
        assertThat(dir1.resolve(LogFileNames.CLEAN_SHUTDOWN_FILE_NAME)).doesNotExist();
        assertThat(dir2.resolve(LogFileNames.CLEAN_SHUTDOWN_FILE_NAME)).exists();
    }

    @Test
    void shouldWriteTheOtherDirectoriesCheckpointsAndMarkersWhenOneCannotBeWritten() throws Exception {
        manager = LogManager.start(config(60_000), clock);
        Uuid topicId = Uuid.randomUuid();
        manager.getOrCreateLog(ORDERS_0, topicId, PartitionLogTest.smallConfig(Map.of()));
        manager.getOrCreateLog(ORDERS_1, topicId, PartitionLogTest.smallConfig(Map.of()))
                .appendAsLeader(batch(NOW, 3, "a"), 0);
        // a directory where dir1's checkpoint's temporary file must go: writing it fails
        Files.createDirectories(
                dir1.resolve(LogFileNames.RECOVERY_POINT_CHECKPOINT_FILE + LogFileNames.TMP_FILE_SUFFIX));
        Files.deleteIfExists(dir2.resolve(LogFileNames.RECOVERY_POINT_CHECKPOINT_FILE));

        assertThatThrownBy(manager::checkpoint).isInstanceOf(IOException.class);

        assertThat(manager.offlineLogDirs()).containsExactly(dir1);
        assertThat(dir2.resolve(LogFileNames.RECOVERY_POINT_CHECKPOINT_FILE)).exists();
        manager.shutdown();
        assertThat(dir1.resolve(LogFileNames.CLEAN_SHUTDOWN_FILE_NAME)).doesNotExist();
        assertThat(dir2.resolve(LogFileNames.CLEAN_SHUTDOWN_FILE_NAME)).exists();
    }

    @Test
    void shouldReloadLogsAndCheckpointsAfterACleanShutdownWithoutRescanning() throws Exception {
        manager = LogManager.start(config(60_000), clock);
        PartitionLog log = manager.getOrCreateLog(DASHED_7, Uuid.randomUuid(), PartitionLogTest.smallConfig(Map.of()));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(NOW + i, 3, "v" + i), 1);
        }
        log.highWatermark().update(42);
        manager.shutdown();
        Path logDir = log.dir().toPath().getParent();
        assertThat(logDir.resolve(LogFileNames.CLEAN_SHUTDOWN_FILE_NAME)).exists();
        assertThat(Files.readAllLines(logDir.resolve("recovery-point-offset-checkpoint")))
                .containsExactly("0", "1", "my-dashed-topic 7 60");
        assertThat(Files.readAllLines(logDir.resolve("replication-offset-checkpoint")))
                .containsExactly("0", "1", "my-dashed-topic 7 42");
        assertThat(Files.readAllLines(logDir.resolve("log-start-offset-checkpoint")))
                .containsExactly("0", "1", "my-dashed-topic 7 0");

        manager = LogManager.start(config(60_000), clock);

        PartitionLog reloaded = manager.getLog(DASHED_7).orElseThrow();
        assertThat(reloaded.loadInfo().segmentsRecovered()).isZero();
        assertThat(reloaded.logEndOffset()).isEqualTo(60);
        assertThat(reloaded.highWatermark().offset()).isEqualTo(42);
        assertThat(logDir.resolve(LogFileNames.CLEAN_SHUTDOWN_FILE_NAME)).doesNotExist();
    }

    @Test
    void shouldRescanFromTheRecoveryPointWithoutTheCleanShutdownMarker() throws Exception {
        manager = LogManager.start(config(60_000), clock);
        PartitionLog log = manager.getOrCreateLog(ORDERS_0, Uuid.randomUuid(), PartitionLogTest.smallConfig(Map.of()));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(NOW + i, 3, "v" + i), 1);
        }
        manager.shutdown();
        Files.delete(log.dir().toPath().getParent().resolve(LogFileNames.CLEAN_SHUTDOWN_FILE_NAME));

        manager = LogManager.start(config(60_000), clock);

        PartitionLog reloaded = manager.getLog(ORDERS_0).orElseThrow();
        assertThat(reloaded.loadInfo().hadCleanShutdown()).isFalse();
        assertThat(reloaded.loadInfo().segmentsRecovered()).isEqualTo(1);
        assertThat(reloaded.logEndOffset()).isEqualTo(60);
    }

    @Test
    void shouldRescanEverythingWhenTheRecoveryPointCheckpointIsCorrupt() throws Exception {
        manager = LogManager.start(config(60_000), clock);
        PartitionLog log = manager.getOrCreateLog(ORDERS_0, Uuid.randomUuid(), PartitionLogTest.smallConfig(Map.of()));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(NOW + i, 3, "v" + i), 1);
        }
        manager.shutdown();
        Path logDir = log.dir().toPath().getParent();
        Files.delete(logDir.resolve(LogFileNames.CLEAN_SHUTDOWN_FILE_NAME));
        Files.writeString(logDir.resolve(LogFileNames.RECOVERY_POINT_CHECKPOINT_FILE), "0\n1\ngarbage\n");

        manager = LogManager.start(config(60_000), clock);

        PartitionLog reloaded = manager.getLog(ORDERS_0).orElseThrow();
        assertThat(reloaded.loadInfo().segmentsRecovered()).isEqualTo(reloaded.numberOfSegments());
        assertThat(reloaded.logEndOffset()).isEqualTo(60);
    }

    @Test
    void shouldRefuseASecondManagerOnTheSameDirectory() {
        manager = LogManager.start(config(60_000), clock);

        assertThatThrownBy(() -> LogManager.start(LogManagerConfig.of(List.of(dir2)), clock))
                .isInstanceOf(LogDirectoryLockedException.class)
                .hasMessageContaining(dir2.toString());
    }

    /** A topic deletion checkpoints on its own thread while the scheduler does too: same .tmp file. */
    @Test
    void shouldKeepEveryDirectoryOnlineWhileCheckpointsAreWrittenFromSeveralThreads() throws Exception {
        manager = LogManager.start(config(60_000), clock);
        Uuid topicId = Uuid.randomUuid();
        for (int p = 0; p < 8; p++) {
            manager.getOrCreateLog(new TopicPartition("orders", p), topicId, PartitionLogTest.smallConfig(Map.of()));
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                writers.add(threads.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        manager.checkpoint();
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(manager.offlineLogDirs()).isEmpty();
    }

    @Test
    void shouldDeleteALogDirectory() throws Exception {
        manager = LogManager.start(config(60_000), clock);
        PartitionLog log = manager.getOrCreateLog(ORDERS_0, Uuid.randomUuid(), PartitionLogTest.smallConfig(Map.of()));
        log.appendAsLeader(batch(NOW, 3, "x"), 0);

        assertThat(manager.deleteLog(ORDERS_0)).isTrue();

        assertThat(manager.getLog(ORDERS_0)).isEmpty();
        assertThat(log.dir()).doesNotExist();
        for (int i = 0;
                i < 100 && Files.list(log.dir().toPath().getParent()).anyMatch(p -> Files.isDirectory(p));
                i++) {
            Thread.sleep(20);
        }
        assertThat(Files.list(log.dir().toPath().getParent()).filter(Files::isDirectory))
                .isEmpty();
        assertThat(manager.deleteLog(ORDERS_0)).isFalse();
    }

    @Test
    void shouldRunRetentionInTheBackground() throws Exception {
        manager = LogManager.start(config(50), clock);
        PartitionLog log = manager.getOrCreateLog(
                ORDERS_0,
                Uuid.randomUuid(),
                PartitionLogTest.smallConfig(Map.of(LogConfig.RETENTION_MS_CONFIG, "1000")));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(NOW, 3, "v" + i), 0);
        }
        log.highWatermark().update(log.logEndOffset());
        clock.advance(5000);

        // retention removes the segments, then moves the log start: wait for both
        for (int i = 0; i < 1500 && (log.numberOfSegments() > 1 || log.logStartOffset() == 0); i++) {
            Thread.sleep(20);
        }

        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(log.logStartOffset()).isPositive();
    }

    @Test
    void shouldFlushByFlushMsInTheBackground() throws Exception {
        manager = LogManager.start(config(60_000), clock);
        PartitionLog log = manager.getOrCreateLog(
                ORDERS_0, Uuid.randomUuid(), PartitionLogTest.smallConfig(Map.of(LogConfig.FLUSH_MS_CONFIG, "1000")));
        log.appendAsLeader(batch(NOW, 3, "x"), 0);
        assertThat(log.recoveryPoint()).isZero();
        clock.advance(1500);

        for (int i = 0; i < 1500 && log.recoveryPoint() == 0; i++) {
            Thread.sleep(20);
        }

        assertThat(log.recoveryPoint()).isEqualTo(3);
    }

    @Test
    void shouldIgnoreForeignDirectoriesAndRemoveDeletedOnes() throws Exception {
        Files.createDirectories(dir1.resolve("not a partition"));
        Files.createDirectories(dir1.resolve("orders-3.abc-delete"));
        Files.writeString(dir1.resolve("orders-3.abc-delete").resolve("x"), "x", StandardCharsets.UTF_8);

        manager = LogManager.start(config(60_000), clock);

        assertThat(manager.allLogs()).isEmpty();
        assertThat(dir1.resolve("orders-3.abc-delete")).doesNotExist();
    }
}
