package io.tributary.broker.partition;

import static io.tributary.broker.testing.TestRecords.idempotentBatchAt;
import static io.tributary.broker.testing.TestRecords.transactionalBatchAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.testing.MutableClock;
import io.tributary.storage.log.LogAppendInfo;
import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.LogFileNames;
import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.producer.ProducerSnapshotFile;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producer-id expiration over a real log with a clock the test moves (Kafka's
 * {@code producer.id.expiration.ms}, here one minute): an idle producer without an open
 * transaction is forgotten by the periodic check and by loads from a snapshot, is missing from
 * the snapshots taken afterwards, and may then come back at any sequence, as Kafka 4.x accepts it.
 */
class ProducerExpirationTest {

    private static final TopicPartition TP = new TopicPartition("payments", 0);
    private static final Duration EXPIRATION = Duration.ofMinutes(1);
    private static final long PRODUCER = 7;
    private static final long OTHER_PRODUCER = 8;
    private static final short EPOCH = 0;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private ScheduledExecutorService scheduler;
    private File logDir;
    private PartitionLog log;
    private Partition partition;

    @BeforeEach
    void open() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        logDir = new File(dir.toFile(), "payments-0");
        log = PartitionLog.open(logDir, LogConfig.defaults(), scheduler, clock);
        partition = leaderOver(log);
    }

    @AfterEach
    void close() {
        log.close();
        scheduler.shutdownNow();
    }

    @Test
    void shouldForgetAnIdleProducerAndThenAcceptItsNextBatchAtAnySequence() {
        append(idempotent(PRODUCER, 0, "a0"));
        append(idempotent(PRODUCER, 1, "a1"));

        clock.advance(EXPIRATION.minusSeconds(1));
        partition.producerState().removeExpired();
        assertThat(partition.producerState().producerIdCount()).isOne();
        assertThatThrownBy(() -> append(idempotent(PRODUCER, 5, "gap")))
                .isInstanceOf(OutOfOrderSequenceException.class);

        clock.advance(Duration.ofSeconds(1));
        partition.producerState().removeExpired();

        assertThat(partition.producerState().producerIdCount()).isZero();
        assertThat(append(idempotent(PRODUCER, 5, "a5")).firstOffset())
                .as("Kafka 4.x accepts any sequence from a producer it has no state for")
                .isEqualTo(2);
        // from there on its sequence is checked again
        append(idempotent(PRODUCER, 6, "a6"));
        assertThatThrownBy(() -> append(idempotent(PRODUCER, 8, "gap")))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.logEndOffset()).isEqualTo(4);
    }

    @Test
    void shouldKeepAProducerWithAnOpenTransactionHoweverLongItIsIdle() {
        append(transactional(PRODUCER, 0, "t0"));

        clock.advance(Duration.ofDays(2));
        partition.producerState().removeExpired();

        assertThat(partition.producerState().producerIdCount()).isOne();
        assertThat(partition.lastStableOffset()).isZero();
        assertThatThrownBy(() -> append(transactional(PRODUCER, 5, "gap")))
                .isInstanceOf(OutOfOrderSequenceException.class);

        // the marker is the producer's last write: the expiration counts from it
        partition.appendTransactionMarker(PRODUCER, EPOCH, true, 0);
        clock.advance(EXPIRATION.minusSeconds(1));
        partition.producerState().removeExpired();
        assertThat(partition.producerState().producerIdCount()).isOne();
        clock.advance(Duration.ofSeconds(1));
        partition.producerState().removeExpired();
        assertThat(partition.producerState().producerIdCount()).isZero();
        assertThat(partition.lastStableOffset()).isEqualTo(2);
    }

    @Test
    void shouldLeaveAnExpiredProducerOutOfTheNextSnapshot() throws Exception {
        append(idempotent(PRODUCER, 0, "a0"));
        clock.advance(Duration.ofSeconds(40));
        append(idempotent(OTHER_PRODUCER, 0, "b0"));
        clock.advance(Duration.ofSeconds(20));

        partition.producerState().removeExpired();
        partition.producerState().snapshotForShutdown();
        log.close();

        List<ProducerSnapshotFile.Entry> saved =
                ProducerSnapshotFile.read(LogFileNames.producerSnapshotFile(logDir, 2));
        assertThat(saved).extracting(ProducerSnapshotFile.Entry::producerId).containsExactly(OTHER_PRODUCER);
        log = PartitionLog.open(logDir, LogConfig.defaults(), 0, 2, true, scheduler, clock);
        partition = leaderOver(log);
        assertThat(partition.producerState().producerIdCount()).isOne();
        append(idempotent(PRODUCER, 5, "a5"));
        assertThatThrownBy(() -> append(idempotent(OTHER_PRODUCER, 5, "gap")))
                .isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void shouldNotBringBackAProducerThatExpiredWhileTheBrokerWasDown() throws Exception {
        append(idempotent(PRODUCER, 0, "a0"));
        append(transactional(OTHER_PRODUCER, 0, "open"));
        partition.producerState().snapshotForShutdown();
        log.close();

        clock.advance(EXPIRATION);
        log = PartitionLog.open(logDir, LogConfig.defaults(), 0, 2, true, scheduler, clock);
        partition = leaderOver(log);

        assertThat(partition.producerState().producerIdCount())
                .as("only the producer with an open transaction is loaded from the snapshot")
                .isOne();
        assertThat(partition.lastStableOffset()).isEqualTo(1);
        assertThat(append(idempotent(PRODUCER, 5, "a5")).firstOffset()).isEqualTo(2);
    }

    private MemoryRecords idempotent(long producerId, int sequence, String value) {
        return idempotentBatchAt(clock.millis(), producerId, EPOCH, sequence, value);
    }

    private MemoryRecords transactional(long producerId, int sequence, String value) {
        return transactionalBatchAt(clock.millis(), producerId, EPOCH, sequence, value);
    }

    private LogAppendInfo append(MemoryRecords records) {
        return partition.appendAsLeader(records, (short) 1);
    }

    private Partition leaderOver(PartitionLog partitionLog) {
        return SoleLeader.over(TP, partitionLog, clock, EXPIRATION.toMillis());
    }
}
