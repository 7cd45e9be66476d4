package io.tributary.storage.log.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.storage.log.LogFileNames;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.storage.internals.log.BatchMetadata;
import org.apache.kafka.storage.internals.log.ProducerStateEntry;
import org.apache.kafka.storage.internals.log.ProducerStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Producer-state snapshot files on a real directory: Kafka's format, retention, torn files. */
class ProducerSnapshotsTest {

    private static final TopicPartition TP = new TopicPartition("payments", 0);
    private static final ProducerSnapshotFile.Entry IDEMPOTENT =
            new ProducerSnapshotFile.Entry(11, (short) 2, 9, 41, 4, 1_700_000_000_000L, -1, -1);
    private static final ProducerSnapshotFile.Entry IN_TRANSACTION =
            new ProducerSnapshotFile.Entry(12, (short) 0, 0, 30, 0, 1_700_000_000_001L, -1, 30);

    @TempDir
    Path dir;

    private ProducerSnapshots snapshots;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void setUp() {
        snapshots = new ProducerSnapshots(TP, dir.toFile());
        logged.start();
        ((Logger) LoggerFactory.getLogger(ProducerSnapshots.class)).addAppender(logged);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(ProducerSnapshots.class)).detachAppender(logged);
    }

    @Test
    void shouldReadBackTheProducersItWrote() throws IOException {
        snapshots.write(50, List.of(IDEMPOTENT, IN_TRANSACTION), true, 0);

        Optional<ProducerSnapshots.Loaded> loaded = snapshots.loadLatest(0, 50, 50);

        assertThat(loaded).isPresent();
        assertThat(loaded.get().offset()).isEqualTo(50);
        assertThat(loaded.get().entries()).containsExactly(IDEMPOTENT, IN_TRANSACTION);
        assertThat(dir.resolve("00000000000000000050.snapshot")).exists();
        assertThat(dir.resolve("00000000000000000050.snapshot.tmp")).doesNotExist();
    }

    @Test
    void shouldWriteASnapshotThatKafkasOwnReaderAccepts() throws IOException {
        snapshots.write(50, List.of(IDEMPOTENT, IN_TRANSACTION), true, 0);

        List<ProducerStateEntry> read =
                ProducerStateManager.readSnapshot(LogFileNames.producerSnapshotFile(dir.toFile(), 50));

        assertThat(read).hasSize(2);
        ProducerStateEntry idempotent =
                read.stream().filter(e -> e.producerId() == 11).findFirst().orElseThrow();
        assertThat(idempotent.producerEpoch()).isEqualTo((short) 2);
        assertThat(idempotent.firstSeq()).isEqualTo(5);
        assertThat(idempotent.lastSeq()).isEqualTo(9);
        assertThat(idempotent.firstDataOffset()).isEqualTo(37);
        assertThat(idempotent.lastDataOffset()).isEqualTo(41);
        assertThat(idempotent.currentTxnFirstOffset()).isEmpty();
        ProducerStateEntry inTransaction =
                read.stream().filter(e -> e.producerId() == 12).findFirst().orElseThrow();
        assertThat(inTransaction.currentTxnFirstOffset()).hasValue(30);
    }

    @Test
    void shouldReadASnapshotThatKafkaWrote() throws IOException {
        ProducerStateEntry entry = new ProducerStateEntry(
                11,
                (short) 2,
                -1,
                1_700_000_000_000L,
                OptionalLong.of(37),
                Optional.of(new BatchMetadata(9, 41, 4, 1_700_000_000_000L)));
        ProducerStateManager.writeSnapshot(
                LogFileNames.producerSnapshotFile(dir.toFile(), 42), Map.of(11L, entry), true);

        assertThat(snapshots.loadLatest(0, 42, 42).orElseThrow().entries())
                .containsExactly(new ProducerSnapshotFile.Entry(11, (short) 2, 9, 41, 4, 1_700_000_000_000L, -1, 37));
    }

    @Test
    void shouldSkipATornSnapshotForTheNextOlderOneWithOneWarning() throws IOException {
        snapshots.write(10, List.of(IDEMPOTENT), false, 0);
        snapshots.write(20, List.of(IDEMPOTENT, IN_TRANSACTION), false, 0);
        File newest = LogFileNames.producerSnapshotFile(dir.toFile(), 20);
        try (RandomAccessFile torn = new RandomAccessFile(newest, "rw")) {
            torn.setLength(torn.length() - 7);
        }

        Optional<ProducerSnapshots.Loaded> loaded = snapshots.loadLatest(0, 30, 30);

        assertThat(loaded.orElseThrow().offset()).isEqualTo(10);
        assertThat(loaded.get().entries()).containsExactly(IDEMPOTENT);
        assertThat(newest).doesNotExist();
        assertThat(logged.list)
                .filteredOn(e -> e.getLevel() == Level.WARN)
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("payments-0", "offset 20"));
    }

    @Test
    void shouldRefuseAFlippedByteAsCorrupt() throws IOException {
        snapshots.write(10, List.of(IDEMPOTENT), false, 0);
        File file = LogFileNames.producerSnapshotFile(dir.toFile(), 10);
        byte[] bytes = Files.readAllBytes(file.toPath());
        bytes[bytes.length - 3] ^= 0x20;
        Files.write(file.toPath(), bytes);

        assertThatThrownBy(() -> ProducerSnapshotFile.read(file))
                .isInstanceOf(CorruptProducerSnapshotException.class)
                .hasMessageContaining("CRC");
        assertThat(snapshots.loadLatest(0, 10, 10)).isEmpty();
    }

    @Test
    void shouldLoadNothingAboveTheBoundAndDeleteWhatLiesOutsideTheLog() throws IOException {
        snapshots.write(5, List.of(IDEMPOTENT), false, 0);
        snapshots.write(10, List.of(IDEMPOTENT), false, 0);
        snapshots.write(20, List.of(IN_TRANSACTION), false, 0);

        // log start 10 (5 went with its segment), recovery point 15, log end 18 (20 was truncated away)
        Optional<ProducerSnapshots.Loaded> loaded = snapshots.loadLatest(10, 15, 18);

        assertThat(loaded.orElseThrow().offset()).isEqualTo(10);
        assertThat(snapshots.offsets()).containsExactly(10);
    }

    @Test
    void shouldKeepOnlyTheNewestFewAndNoneBelowTheLogStart() throws IOException {
        for (long offset = 10; offset <= 60; offset += 10) {
            snapshots.write(offset, List.of(IDEMPOTENT), false, 0);
        }
        assertThat(snapshots.offsets()).containsExactly(40, 50, 60);

        snapshots.write(70, List.of(IDEMPOTENT), false, 55);

        assertThat(snapshots.offsets()).containsExactly(60, 70);
    }
}
