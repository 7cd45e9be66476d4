package io.tributary.storage.log.cleaner;

import static io.tributary.storage.log.cleaner.CleanerTestLogs.NOW;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.compactedConfig;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.entries;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.latest;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.record;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.LogSegment;
import io.tributary.storage.log.MutableClock;
import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.cleaner.CleanerTestLogs.Entry;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanerTest {

    @TempDir
    Path tmp;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MutableClock clock = new MutableClock(NOW);
    private final List<PartitionLog> opened = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        opened.forEach(PartitionLog::close);
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private PartitionLog open(String name, LogConfig config) {
        PartitionLog log = PartitionLog.open(tmp.resolve(name).toFile(), config, scheduler, clock);
        opened.add(log);
        return log;
    }

    private Cleaner cleaner(int mapBytes) {
        return new Cleaner(
                new OffsetMap(mapBytes), 1024, new Throttler(Double.MAX_VALUE, System::nanoTime), clock, () -> false);
    }

    private CleaningResult clean(PartitionLog log, long checkpoint) throws Exception {
        return cleaner(1 << 16).clean(LogToClean.of(log, checkpoint, clock.millis()));
    }

    /** Ten keys updated round-robin {@code rounds} times, one record per batch; then the high watermark moves to the end. */
    private static void writeUpdates(PartitionLog log, int rounds) {
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 10; k++) {
                log.appendAsLeader(record(NOW + round, "k" + k, "v" + round), 0);
            }
        }
        log.highWatermark().update(log.logEndOffset());
    }

    @Test
    void shouldKeepOnlyTheLatestValueOfEachKeyWithItsOriginalOffsetAndTimestamp() throws Exception {
        PartitionLog log = open("orders-0", compactedConfig(Map.of()));
        writeUpdates(log, 20);
        List<Entry> before = entries(log);
        long activeBase = log.segmentBaseOffsets().get(log.numberOfSegments() - 1);
        assertThat(log.numberOfSegments()).isGreaterThan(5);

        CleaningResult result = clean(log, -1);

        assertThat(result.replaced()).isTrue();
        assertThat(result.endOffset()).isEqualTo(activeBase);
        List<Entry> after = entries(log);
        assertThat(latest(after)).isEqualTo(latest(before));
        List<Entry> cleanedPart =
                after.stream().filter(e -> e.offset() < activeBase).toList();
        // one record per key below the active segment, each the key's last write there, unchanged
        for (Entry kept : cleanedPart) {
            Entry original = before.get((int) kept.offset());
            assertThat(kept).isEqualTo(original);
            assertThat(before.stream()
                            .filter(e -> e.key().equals(kept.key()) && e.offset() > kept.offset())
                            .allMatch(e -> e.offset() >= activeBase))
                    .isTrue();
        }
        assertThat(cleanedPart.stream().map(Entry::key).distinct().count()).isEqualTo(cleanedPart.size());
        assertThat(after.stream().filter(e -> e.offset() >= activeBase).toList())
                .isEqualTo(before.stream().filter(e -> e.offset() >= activeBase).toList());
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(200);
    }

    @Test
    void shouldFindEveryKeptOffsetThroughTheRebuiltIndexes() throws Exception {
        PartitionLog log = open("orders-1", compactedConfig(Map.of()));
        writeUpdates(log, 20);
        clean(log, -1);

        for (Entry entry : entries(log)) {
            RecordBatch first = log.reader()
                    .read(entry.offset(), 100, Long.MAX_VALUE, true)
                    .records()
                    .batches()
                    .iterator()
                    .next();
            assertThat(first.lastOffset()).isGreaterThanOrEqualTo(entry.offset());
            assertThat(first.baseOffset()).isLessThanOrEqualTo(entry.offset());
        }
        // an offset that was cleaned away reads from the next kept batch
        long firstKept = entries(log).get(0).offset();
        assertThat(firstKept).isPositive();
        assertThat(log.reader()
                        .read(0, 100, Long.MAX_VALUE, true)
                        .records()
                        .records()
                        .iterator()
                        .next()
                        .offset())
                .isEqualTo(firstKept);
        for (LogSegment segment : log.segments()) {
            segment.sanityCheck();
        }
    }

    @Test
    void shouldNeverCleanTheActiveSegmentNorPastTheHighWatermark() throws Exception {
        PartitionLog log = open("orders-2", compactedConfig(Map.of()));
        writeUpdates(log, 20);
        List<Long> bases = log.segmentBaseOffsets();
        long hwSegmentBase = bases.get(3);
        log.highWatermark().update(hwSegmentBase + 1);
        List<Entry> before = entries(log);

        CleaningResult result = clean(log, -1);

        assertThat(result.endOffset()).isEqualTo(hwSegmentBase);
        assertThat(entries(log).stream()
                        .filter(e -> e.offset() >= hwSegmentBase)
                        .toList())
                .isEqualTo(
                        before.stream().filter(e -> e.offset() >= hwSegmentBase).toList());
    }

    @Test
    void shouldLeaveSegmentsYoungerThanTheMinimumCompactionLag() throws Exception {
        PartitionLog log = open("orders-3", compactedConfig(Map.of(LogConfig.MIN_COMPACTION_LAG_MS_CONFIG, "60000")));
        for (int round = 0; round < 20; round++) {
            for (int k = 0; k < 10; k++) {
                // the second half is written a minute later
                log.appendAsLeader(record(round < 10 ? NOW - 120_000 : NOW - 1_000, "k" + k, "v" + round), 0);
            }
        }
        log.highWatermark().update(log.logEndOffset());
        List<Entry> before = entries(log);

        LogToClean view = LogToClean.of(log, -1, clock.millis());
        CleaningResult result = cleaner(1 << 16).clean(view);

        long firstYoung = before.stream()
                .filter(e -> e.timestamp() == NOW - 1_000)
                .findFirst()
                .orElseThrow()
                .offset();
        assertThat(view.firstUncleanableOffset()).isLessThanOrEqualTo(firstYoung);
        assertThat(entries(log).stream()
                        .filter(e -> e.offset() >= view.firstUncleanableOffset())
                        .toList())
                .isEqualTo(before.stream()
                        .filter(e -> e.offset() >= view.firstUncleanableOffset())
                        .toList());
        assertThat(result.segmentsCleaned()).isPositive();
    }

    @Test
    void shouldKeepTombstonesForDeleteRetentionAfterTheCleaningThatFirstSawThem() throws Exception {
        PartitionLog log = open("orders-4", compactedConfig(Map.of(LogConfig.DELETE_RETENTION_MS_CONFIG, "1000")));
        log.appendAsLeader(record(NOW, "gone", "v1"), 0);
        log.appendAsLeader(record(NOW, "gone", null), 0);
        writeUpdates(log, 20);

        CleaningResult first = clean(log, -1);
        assertThat(latest(entries(log))).containsEntry("gone", null);
        assertThat(first.latestDeleteHorizon()).isEqualTo(NOW + 1000);

        clock.advance(999);
        clean(log, first.endOffset());
        assertThat(latest(entries(log))).containsEntry("gone", null);

        clock.advance(2);
        CleaningResult last = clean(log, first.endOffset());
        assertThat(latest(entries(log))).doesNotContainKey("gone").containsKey("k9");
        assertThat(last.latestDeleteHorizon()).isEqualTo(-1);
    }

    @Test
    void shouldKeepTheLastBatchOfEachProducerEvenWhenAllItsRecordsAreSuperseded() throws Exception {
        PartitionLog log = open("orders-5", compactedConfig(Map.of()));
        log.appendAsLeader(records(NOW, 42L, (short) 3, 0, Compression.NONE, "a", "1", "b", "1"), 0);
        log.appendAsLeader(records(NOW, 42L, (short) 3, 2, Compression.NONE, "a", "2", "b", "2"), 0);
        writeUpdates(log, 3);
        log.appendAsLeader(record(NOW, "a", "3"), 0);
        log.appendAsLeader(record(NOW, "b", "3"), 0);
        log.roll();
        log.highWatermark().update(log.logEndOffset());

        clean(log, -1);

        List<RecordBatch> producerBatches = new ArrayList<>();
        for (RecordBatch batch : log.reader().batchesFrom(0)) {
            if (batch.hasProducerId()) {
                producerBatches.add(batch);
            }
        }
        // the first batch went, the last one stays as an empty header with its epoch and sequences
        assertThat(producerBatches).hasSize(1);
        RecordBatch last = producerBatches.get(0);
        assertThat(last.producerId()).isEqualTo(42L);
        assertThat(last.producerEpoch()).isEqualTo((short) 3);
        assertThat(last.baseSequence()).isEqualTo(2);
        assertThat(last.lastSequence()).isEqualTo(3);
        assertThat(last.lastOffset()).isEqualTo(3);
        List<Record> kept = new ArrayList<>();
        last.forEach(kept::add);
        assertThat(kept).isEmpty();
    }

    @Test
    void shouldCleanCompressedBatchesKeepingTheirCodec() throws Exception {
        PartitionLog log = open("orders-6", compactedConfig(Map.of()));
        for (int round = 0; round < 10; round++) {
            log.appendAsLeader(
                    records(NOW, -1L, (short) -1, -1, Compression.gzip().build(), "x", "v" + round, "y" + round, "w"),
                    0);
        }
        log.roll();
        log.highWatermark().update(log.logEndOffset());

        clean(log, -1);

        List<Entry> after = entries(log);
        assertThat(latest(after)).containsEntry("x", "v9");
        assertThat(after.stream().filter(e -> e.key().equals("x"))).hasSize(1);
        assertThat(after).hasSize(11);
        for (RecordBatch batch : log.reader().batchesFrom(0)) {
            assertThat(batch.compressionType().name).isEqualTo("gzip");
        }
    }

    @Test
    void shouldStopAtAFullOffsetMapAndCleanTheRestNextTime() throws Exception {
        PartitionLog log = open("orders-7", compactedConfig(Map.of()));
        writeUpdates(log, 20);
        List<Entry> before = entries(log);

        // room for 5 keys (24 bytes each at a 0.9 load factor)
        CleaningResult partial = cleaner(24 * 6).clean(LogToClean.of(log, -1, clock.millis()));
        assertThat(partial.endOffset()).isEqualTo(5);
        assertThat(latest(entries(log))).isEqualTo(latest(before));

        long checkpoint = partial.endOffset();
        for (int i = 0; i < 100 && checkpoint < log.segmentBaseOffsets().get(log.numberOfSegments() - 1); i++) {
            checkpoint = cleaner(24 * 6)
                    .clean(LogToClean.of(log, checkpoint, clock.millis()))
                    .endOffset();
        }
        assertThat(latest(entries(log))).isEqualTo(latest(before));
        assertThat(entries(log).size()).isLessThan(before.size() / 2);
    }

    @Test
    void shouldRefuseRecordsWithoutKeyOnACompactedLog() {
        PartitionLog log = open("orders-8", compactedConfig(Map.of()));
        assertThatThrownBy(() -> log.appendAsLeader(record(NOW, null, "v"), 0))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("Compacted topic cannot accept message without key");
        assertThat(log.logEndOffset()).isZero();

        PartitionLog plain = open("plain-0", LogConfig.defaults());
        plain.appendAsLeader(record(NOW, null, "v"), 0);
        assertThat(plain.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldThrowAwayTheCleaningWhenTheLogWasTruncatedMeanwhile() throws Exception {
        PartitionLog log = open("orders-9", compactedConfig(Map.of()));
        writeUpdates(log, 20);
        LogToClean view = LogToClean.of(log, -1, clock.millis());
        log.truncateTo(150);
        log.roll();
        log.highWatermark().update(log.logEndOffset());
        List<Entry> before = entries(log);

        CleaningResult result = cleaner(1 << 16).clean(view);

        assertThat(result.replaced()).isFalse();
        assertThat(entries(log)).isEqualTo(before);
        File[] cleaned = log.dir().listFiles((d, n) -> n.endsWith(".cleaned"));
        assertThat(cleaned).isEmpty();
        assertThat(Files.list(log.dir().toPath()).count()).isPositive();
    }
}
