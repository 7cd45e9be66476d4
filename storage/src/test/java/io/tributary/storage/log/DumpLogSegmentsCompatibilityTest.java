package io.tributary.storage.log;

import static io.tributary.storage.log.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.storage.log.index.OffsetPosition;
import io.tributary.storage.log.index.TimestampOffset;
import io.tributary.storage.testing.KafkaDumpLogSegments;
import io.tributary.storage.testing.KafkaDumpLogSegments.Dump;
import io.tributary.storage.testing.KafkaDumpLogSegments.DumpedBatch;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Kafka's own {@code kafka.tools.DumpLogSegments} (from {@code org.apache.kafka:kafka_2.13},
 * the same Kafka version as kafka-clients) in a child JVM on segments and indexes we wrote, and
 * checks that it reads the offsets, positions and timestamps we expect and reports no index error.
 */
class DumpLogSegmentsCompatibilityTest {

    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path tmp;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldBeReadByKafkasDumpLogSegmentsWithoutIndexErrors() throws Exception {
        File dir = tmp.resolve("orders-0").toFile();
        LogConfig config = PartitionLogTest.smallConfig(Map.of());
        PartitionLog log = PartitionLog.open(dir, config, scheduler, java.time.Clock.systemUTC());
        List<Long> batchTimestamps = appendBatchesWithSomeOldTimestamps(log, 30);
        List<LogSegment> segments = log.segments();
        Map<Long, List<OffsetPosition>> ourIndexes = new LinkedHashMap<>();
        log.close();
        assertThat(segments).hasSizeGreaterThanOrEqualTo(3);

        Dump dump = dumpLogSegments(dir, "--deep-iteration");

        assertNoToolErrors(dump);
        long expectedOffset = 0;
        int batchNumber = 0;
        for (LogSegment segment : segments) {
            File logFile = LogFileNames.logFile(dir, segment.baseOffset());
            List<DumpedBatch> batches = dump.batches(logFile);
            assertThat(batches).isNotEmpty();
            long position = 0;
            for (DumpedBatch b : batches) {
                assertThat(b.baseOffset()).isEqualTo(expectedOffset);
                assertThat(b.lastOffset()).isEqualTo(expectedOffset + 2);
                assertThat(b.count()).isEqualTo(3);
                assertThat(b.leaderEpoch()).isEqualTo(batchNumber < 15 ? 1 : 2);
                assertThat(b.position()).isEqualTo(position);
                assertThat(b.maxTimestamp()).isEqualTo(batchTimestamps.get(batchNumber));
                assertThat(b.valid()).isTrue();
                position += b.size();
                expectedOffset += 3;
                batchNumber++;
            }
            assertThat(position).isEqualTo(logFile.length());
            assertThat(dump.recordOffsets(logFile)).first().isEqualTo(segment.baseOffset());

            List<OffsetPosition> indexEntries =
                    dump.indexEntries(LogFileNames.offsetIndexFile(dir, segment.baseOffset()));
            List<TimestampOffset> timeEntries =
                    dump.timeIndexEntries(LogFileNames.timeIndexFile(dir, segment.baseOffset()));
            if (segment != segments.get(segments.size() - 1)) {
                // full segments span several index intervals (the active one may be too short)
                assertThat(indexEntries)
                        .as("offset index of segment %d", segment.baseOffset())
                        .isNotEmpty();
            }
            assertThat(timeEntries)
                    .as("time index of segment %d", segment.baseOffset())
                    .isNotEmpty();
            for (OffsetPosition entry : indexEntries) {
                // each entry names the last offset of the batch at its position
                assertThat(batches).anyMatch(b -> b.lastOffset() == entry.offset() && b.position() == entry.position());
            }
            long previous = Long.MIN_VALUE;
            for (TimestampOffset entry : timeEntries) {
                assertThat(entry.timestamp()).isGreaterThan(previous);
                previous = entry.timestamp();
                assertThat(batches)
                        .anyMatch(b -> b.lastOffset() == entry.offset() && b.maxTimestamp() == entry.timestamp());
            }
            // the last time index entry holds the segment's largest timestamp
            long segmentMax =
                    batches.stream().mapToLong(DumpedBatch::maxTimestamp).max().orElseThrow();
            assertThat(timeEntries.get(timeEntries.size() - 1).timestamp()).isEqualTo(segmentMax);
            ourIndexes.put(segment.baseOffset(), indexEntries);
        }
        assertThat(expectedOffset).isEqualTo(90);

        Dump sanity = dumpLogSegments(dir, "--index-sanity-check");
        assertNoToolErrors(sanity);
        assertThat(String.join(
                        "\n",
                        sanity.sections().values().stream()
                                .flatMap(List::stream)
                                .toList()))
                .contains("passed sanity check");
    }

    @Test
    void shouldWriteIndexesKafkasToolAcceptsAfterRecoveryRebuiltThem() throws Exception {
        File dir = tmp.resolve("orders-1").toFile();
        LogConfig config = PartitionLogTest.smallConfig(Map.of());
        PartitionLog log = PartitionLog.open(dir, config, scheduler, java.time.Clock.systemUTC());
        appendBatchesWithSomeOldTimestamps(log, 20);
        log.closeHandlers();
        long activeBase = log.segmentBaseOffsets().get(log.numberOfSegments() - 1);
        File activeLog = LogFileNames.logFile(dir, activeBase);
        try (RandomAccessFile raf = new RandomAccessFile(activeLog, "rw")) {
            raf.setLength(activeLog.length() - 7);
        }
        Files.delete(LogFileNames.offsetIndexFile(dir, 0).toPath());

        PartitionLog recovered = PartitionLog.open(dir, config, scheduler, java.time.Clock.systemUTC());
        recovered.close();
        Dump dump = dumpLogSegments(dir, "--deep-iteration");

        assertNoToolErrors(dump);
        List<DumpedBatch> all = new ArrayList<>();
        for (long base : recovered.segmentBaseOffsets()) {
            all.addAll(dump.batches(LogFileNames.logFile(dir, base)));
        }
        assertThat(all).last().extracting(DumpedBatch::lastOffset).isEqualTo(recovered.logEndOffset() - 1);
        assertThat(recovered.logEndOffset()).isLessThan(60);
        assertThat(dump.indexEntries(LogFileNames.offsetIndexFile(dir, 0))).isNotEmpty();
    }

    @Test
    void shouldReadSegmentsTheLogCleanerWrote() throws Exception {
        Path logDir = tmp.resolve("logs");
        LogManager logs = LogManager.start(LogManagerConfig.of(List.of(logDir)), java.time.Clock.systemUTC());
        PartitionLog log = logs.getOrCreateLog(
                new org.apache.kafka.common.TopicPartition("compacted", 0),
                org.apache.kafka.common.Uuid.randomUuid(),
                PartitionLogTest.smallConfig(
                        Map.of(LogConfig.CLEANUP_POLICY_CONFIG, LogConfig.CLEANUP_POLICY_COMPACT)));
        // a tombstone survives the first cleaning in a batch rewritten with its delete horizon
        log.appendAsLeader(
                org.apache.kafka.common.record.MemoryRecords.withRecords(
                        org.apache.kafka.common.compress.Compression.NONE,
                        new org.apache.kafka.common.record.SimpleRecord(
                                NOW, "gone".getBytes(StandardCharsets.UTF_8), null)),
                1);
        appendBatchesWithSomeOldTimestamps(log, 30);
        log.highWatermark().update(log.logEndOffset());
        int segmentsBefore = log.numberOfSegments();
        io.tributary.storage.log.cleaner.LogCleaner cleaner = io.tributary.storage.log.cleaner.LogCleaner.start(
                logs,
                new io.tributary.storage.log.cleaner.CleanerConfig(true, 1, 1 << 20, 4096, Double.MAX_VALUE, 20),
                java.time.Clock.systemUTC());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (cleaner.states().get(0).lastCleaning() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        cleaner.shutdown();
        assertThat(cleaner.states().get(0).lastCleaning()).isNotNull();
        List<Long> ourOffsets = new ArrayList<>();
        for (org.apache.kafka.common.record.RecordBatch batch : log.reader().batchesFrom(0)) {
            for (org.apache.kafka.common.record.Record record : batch) {
                ourOffsets.add(record.offset());
            }
        }
        List<Long> bases = log.segmentBaseOffsets();
        logs.shutdown();
        assertThat(ourOffsets).hasSizeLessThan(90);

        File dir = logDir.resolve("compacted-0").toFile();
        Dump dump = dumpLogSegments(dir, "--deep-iteration");

        assertNoToolErrors(dump);
        List<Long> dumpedOffsets = new ArrayList<>();
        for (long base : bases) {
            File logFile = LogFileNames.logFile(dir, base);
            dumpedOffsets.addAll(dump.recordOffsets(logFile));
            assertThat(dump.sections().get(logFile.getAbsolutePath()))
                    .filteredOn(line -> line.startsWith("baseOffset:"))
                    .allMatch(line -> line.contains("isvalid: true"));
        }
        assertThat(dumpedOffsets).isEqualTo(ourOffsets).first().isEqualTo(0L);
        assertThat(String.join(
                        "\n", dump.sections().get(LogFileNames.logFile(dir, 0).getAbsolutePath())))
                .contains("deleteHorizonMs");
        assertThat(bases.size()).isLessThanOrEqualTo(segmentsBefore);
        Dump sanity = dumpLogSegments(dir, "--index-sanity-check");
        assertNoToolErrors(sanity);
    }

    /** Batches of 3 records; every 4th batch carries an old timestamp so the time index must skip it. */
    private static List<Long> appendBatchesWithSomeOldTimestamps(PartitionLog log, int count) {
        List<Long> timestamps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long ts = i % 4 == 3 ? NOW - 5000 : NOW + i * 1000L;
            log.appendAsLeader(batch(ts, 3, "b" + i), i < 15 ? 1 : 2);
            timestamps.add(ts);
        }
        return timestamps;
    }

    private static void assertNoToolErrors(Dump dump) {
        dump.assertNoToolErrors();
    }

    private Dump dumpLogSegments(File dir, String... extraArgs) throws IOException, InterruptedException {
        return KafkaDumpLogSegments.run(dir, tmp, extraArgs);
    }
}
