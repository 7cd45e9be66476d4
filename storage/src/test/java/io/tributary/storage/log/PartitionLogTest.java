package io.tributary.storage.log;

import static io.tributary.storage.log.TestRecords.batch;
import static io.tributary.storage.log.TestRecords.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.storage.log.epoch.EpochEndOffset;
import io.tributary.storage.log.epoch.EpochEntry;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {

    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path tmp;

    private File dir;
    private final MutableClock clock = new MutableClock(NOW);
    private ScheduledExecutorService scheduler;
    private final List<PartitionLog> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("orders-0").toFile();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        opened.forEach(log -> {
            try {
                log.close();
            } catch (RuntimeException ignored) {
                // offline logs
            }
        });
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Small segments (about 8 batches of 3 records), an index entry every ~2 batches. */
    static LogConfig smallConfig(Map<String, String> extra) {
        Map<String, String> map = new HashMap<>(Map.of(
                LogConfig.SEGMENT_BYTES_CONFIG, "1024",
                LogConfig.INDEX_INTERVAL_BYTES_CONFIG, "200",
                LogConfig.SEGMENT_INDEX_BYTES_CONFIG, "1024",
                LogConfig.FILE_DELETE_DELAY_MS_CONFIG, "0"));
        map.putAll(extra);
        return LogConfig.fromMap(map);
    }

    private PartitionLog open(LogConfig config) {
        return track(PartitionLog.open(dir, config, scheduler, clock));
    }

    private PartitionLog reopen(LogConfig config, long recoveryPoint, boolean clean) {
        return track(PartitionLog.open(dir, config, 0L, recoveryPoint, clean, scheduler, clock));
    }

    private PartitionLog track(PartitionLog log) {
        opened.add(log);
        return log;
    }

    /** Appends {@code batches} batches of 3 records with timestamps NOW + i*1000; values "b{i}-{j}". */
    private static List<String> appendBatches(PartitionLog log, int from, int batches, int epoch) {
        List<String> expected = new ArrayList<>();
        for (int i = from; i < from + batches; i++) {
            log.appendAsLeader(batch(NOW + i * 1000L, 3, "b" + i), epoch);
            for (int j = 0; j < 3; j++) {
                expected.add("b" + i + "-" + j);
            }
        }
        return expected;
    }

    /** Reads every value from {@code from} to the log end, one read per segment. */
    private static List<String> readAll(PartitionLog log, long from) {
        List<String> values = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            FetchDataInfo info = log.reader().read(next, 1 << 20, Long.MAX_VALUE, true);
            assertThat(info.records().sizeInBytes()).isPositive();
            for (RecordBatch batch : info.records().batches()) {
                for (var record : batch) {
                    if (record.offset() >= next) {
                        values.add(java.nio.charset.StandardCharsets.UTF_8
                                .decode(record.value())
                                .toString());
                    }
                }
                next = batch.nextOffset();
            }
        }
        return values;
    }

    @Test
    void shouldRoundTripRecordsAcrossSeveralSegments() {
        PartitionLog log = open(smallConfig(Map.of()));
        List<String> expected = appendBatches(log, 0, 40, 0);

        assertThat(log.numberOfSegments()).isGreaterThan(3);
        assertThat(log.logEndOffset()).isEqualTo(120);
        assertThat(readAll(log, 0)).isEqualTo(expected);
        assertThat(readAll(log, 61)).isEqualTo(expected.subList(61, 120));
    }

    @Test
    void shouldAssignConsecutiveOffsetsAndWriteLeaderEpochIntoBatchHeaders() {
        PartitionLog log = open(smallConfig(Map.of()));

        LogAppendInfo first = log.appendAsLeader(batch(NOW, 3, "a"), 7);
        LogAppendInfo second = log.appendAsLeader(batch(NOW + 5, 2, "b"), 7);

        assertThat(first).isEqualTo(new LogAppendInfo(0, 2, NOW, 2, 1, first.validBytes(), 0));
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(4);
        List<RecordBatch> batches = new ArrayList<>();
        log.reader().read(0, 1 << 20, Long.MAX_VALUE, false).records().batches().forEach(batches::add);
        assertThat(batches).extracting(RecordBatch::baseOffset).containsExactly(0L, 3L);
        assertThat(batches).extracting(RecordBatch::partitionLeaderEpoch).containsExactly(7, 7);
        assertThat(batches).allMatch(RecordBatch::isValid);
        assertThat(log.leaderEpochCache().latestEpoch()).hasValue(7);
    }

    @Test
    void shouldReturnWholeBatchContainingTheStartOffset() {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 3, 0);

        FetchDataInfo info = log.reader().read(4, 1 << 20, Long.MAX_VALUE, false);

        assertThat(info.fetchOffsetMetadata().messageOffset()).isEqualTo(4);
        assertThat(info.records().batches().iterator().next().baseOffset()).isEqualTo(3);
        assertThat(offsets(info.records())).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(info.records()).isInstanceOf(FileRecords.class);
    }

    @Test
    void shouldServeAReadAsASliceOfTheSegmentFileNotACopy() throws Exception {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 3, 0);

        FileRecords first = (FileRecords)
                log.reader().read(0, 1 << 20, Long.MAX_VALUE, false).records();
        FileRecords second = (FileRecords)
                log.reader().read(3, 1 << 20, Long.MAX_VALUE, false).records();

        // zero-copy: both reads are windows on the active segment's own open channel, which the
        // network layer hands to sendfile; nothing was read into the heap
        assertThat(first.file()).isEqualTo(LogFileNames.logFile(log.dir(), 0));
        assertThat(second.channel()).isSameAs(first.channel());
        assertThat(first.sizeInBytes()).isEqualTo(log.size());
        assertThat(second.sizeInBytes()).isLessThan(first.sizeInBytes());
        assertThat(first.channel().size()).isGreaterThanOrEqualTo(first.sizeInBytes());
    }

    @Test
    void shouldReturnEmptyAtLogEndAndRefuseOffsetsOutsideTheLog() {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 2, 0);

        assertThat(log.reader().read(6, 1000, Long.MAX_VALUE, true).records().sizeInBytes())
                .isZero();
        assertThatThrownBy(() -> log.reader().read(7, 1000, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("offset 7");
        log.highWatermark().update(6);
        log.retention().deleteRecordsBefore(3);
        assertThatThrownBy(() -> log.reader().read(2, 1000, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void shouldLimitReadsToWholeBatchesButReturnOneOversizedBatchWhenAsked() {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 4, 0);
        int batchSize = log.reader()
                .read(0, 1 << 20, Long.MAX_VALUE, false)
                .records()
                .batches()
                .iterator()
                .next()
                .sizeInBytes();

        assertThat(log.reader()
                        .read(0, 2 * batchSize + 10, Long.MAX_VALUE, false)
                        .records()
                        .sizeInBytes())
                .isEqualTo(2 * batchSize);
        assertThat(log.reader().read(0, 10, Long.MAX_VALUE, false).records().sizeInBytes())
                .isZero();
        assertThat(log.reader().read(0, 10, Long.MAX_VALUE, true).records().sizeInBytes())
                .isEqualTo(batchSize);
    }

    @Test
    void shouldCutLargeReadsAtTheLastWholeBatchForEveryByteLimitAndStartOffset() {
        PartitionLog log = open(smallConfig(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, "100000")));
        for (int i = 0; i < 60; i++) {
            log.appendAsLeader(batch(NOW + i, 3, String.format("c%02d", i)), 0); // equal batch sizes
        }
        int batchSize = log.reader().read(0, 1, Long.MAX_VALUE, true).records().sizeInBytes();

        for (int start = 0; start < 60; start += 7) {
            for (int k = 1; k < 20; k++) {
                Records records = log.reader()
                        .read(start * 3L + 1, k * batchSize + batchSize / 2, Long.MAX_VALUE, false)
                        .records();
                int expectedBatches = Math.min(k, 60 - start);
                assertThat(records.sizeInBytes()).as("start %d, k %d", start, k).isEqualTo(expectedBatches * batchSize);
                assertThat(offsets(records)).first().isEqualTo(start * 3L);
            }
            long hw = start * 3L + 9;
            assertThat(offsets(log.reader().read(start * 3L, 1 << 20, hw, false).records()))
                    .last()
                    .isEqualTo(Math.min(hw, 180) - 1);
        }
    }

    @Test
    void shouldMapOffsetsToTheirSegmentAndBatchPosition() {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 30, 0);
        long secondSegment = log.segmentBaseOffsets().get(1);

        LogOffsetMetadata inside = log.reader().offsetMetadata(secondSegment + 4);
        LogOffsetMetadata start = log.reader().offsetMetadata(secondSegment);

        assertThat(start).isEqualTo(new LogOffsetMetadata(secondSegment, secondSegment, 0));
        assertThat(inside.segmentBaseOffset()).isEqualTo(secondSegment);
        assertThat(inside.positionDiff(start))
                .isEqualTo(log.reader()
                        .read(secondSegment, 1, Long.MAX_VALUE, true)
                        .records()
                        .sizeInBytes());
        assertThat(log.reader().offsetMetadata(90)).isEqualTo(log.logEndOffsetMetadata());
        assertThat(log.reader().offsetMetadata(91).hasPosition()).isFalse();
    }

    @Test
    void shouldKnowWhereTheHighWatermarkLiesAsItMovesAndTheLogTruncates() {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 30, 0);
        long secondSegment = log.segmentBaseOffsets().get(1);

        log.highWatermark().update(90);
        assertThat(log.highWatermark().metadata()).isEqualTo(log.logEndOffsetMetadata());

        log.highWatermark().update(secondSegment + 3);
        assertThat(log.highWatermark().offset()).isEqualTo(secondSegment + 3);
        assertThat(log.highWatermark().metadata())
                .isEqualTo(log.reader().offsetMetadata(secondSegment + 3))
                .matches(LogOffsetMetadata::hasPosition);

        log.truncateTo(secondSegment);
        assertThat(log.highWatermark().metadata()).isEqualTo(new LogOffsetMetadata(secondSegment, secondSegment, 0));
    }

    @Test
    void shouldNotReturnBatchesAtOrAboveMaxOffsetExclusive() {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 4, 0);

        assertThat(offsets(log.reader().read(0, 1 << 20, 6, true).records())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(offsets(log.reader().read(0, 1 << 20, 5, true).records())).containsExactly(0L, 1L, 2L);
        assertThat(log.reader().read(3, 1 << 20, 3, true).records().sizeInBytes())
                .isZero();
    }

    @Test
    void shouldFindFirstOffsetAtOrAfterATimestamp() {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 30, 4);
        assertThat(log.numberOfSegments()).isGreaterThan(2);

        assertThat(log.reader().offsetForTimestamp(NOW + 10_000))
                .hasValue(new TimestampAndOffset(NOW + 10_000, 30, Optional.of(4)));
        assertThat(log.reader().offsetForTimestamp(NOW + 10_500))
                .map(TimestampAndOffset::offset)
                .hasValue(33L);
        assertThat(log.reader().offsetForTimestamp(NOW - 1))
                .map(TimestampAndOffset::offset)
                .hasValue(0L);
        assertThat(log.reader().offsetForTimestamp(NOW + 29_000))
                .map(TimestampAndOffset::offset)
                .hasValue(87L);
        assertThat(log.reader().offsetForTimestamp(NOW + 29_001)).isEmpty();
        assertThat(log.reader().offsetForTimestamp(ListOffsetsRequest.MAX_TIMESTAMP))
                .hasValue(new TimestampAndOffset(NOW + 29_000, 87, Optional.of(4)));
        assertThat(log.reader().offsetForTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP))
                .map(TimestampAndOffset::offset)
                .hasValue(90L);
        assertThat(log.reader().offsetForTimestamp(ListOffsetsRequest.EARLIEST_TIMESTAMP))
                .map(TimestampAndOffset::offset)
                .hasValue(0L);
    }

    @Test
    void shouldRollWhenSegmentBytesWouldBeExceededAndTrimIndexesOfRolledSegments() {
        LogConfig config = smallConfig(Map.of());
        PartitionLog log = open(config);
        appendBatches(log, 0, 30, 0);

        List<LogSegment> segments = log.segments();
        assertThat(segments).hasSizeGreaterThan(2);
        for (int i = 0; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            assertThat(segment.size()).isLessThanOrEqualTo(config.segmentBytes());
            if (i < segments.size() - 1) {
                assertThat(segment.offsetIndex().length())
                        .isEqualTo(segment.offsetIndex().entries() * 8L);
                assertThat(segment.timeIndex().length())
                        .isEqualTo(segment.timeIndex().entries() * 12L);
                assertThat(segment.offsetIndex().entries()).isPositive();
                assertThat(segments.get(i + 1).baseOffset()).isEqualTo(segment.readNextOffset());
            } else {
                assertThat(segment.offsetIndex().length()).isEqualTo(1024);
                assertThat(segment.timeIndex().length()).isEqualTo(1020);
            }
        }
        assertThat(new File(dir, "00000000000000000000.log")).exists();
        assertThat(LogFileNames.logFile(dir, segments.get(1).baseOffset()).getName())
                .matches("\\d{20}\\.log");
    }

    @Test
    void shouldAcceptAnAppendOfMoreBatchesThanTheIndexHasRoomFor() {
        PartitionLog log = open(smallConfig(Map.of(
                LogConfig.SEGMENT_INDEX_BYTES_CONFIG,
                "24",
                LogConfig.INDEX_INTERVAL_BYTES_CONFIG,
                "0",
                LogConfig.SEGMENT_BYTES_CONFIG,
                "100000")));
        MemoryRecords[] batches = new MemoryRecords[10];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = batch(NOW + i, 2, "m" + i);
        }

        LogAppendInfo info = log.appendAsLeader(concat(batches), 0);

        assertThat(info.lastOffset()).isEqualTo(19);
        assertThat(log.segments().get(0).offsetIndex().entries()).isEqualTo(3);
        assertThat(offsets(log.reader().read(13, 1 << 20, Long.MAX_VALUE, true).records()))
                .first()
                .isEqualTo(12L);
        assertThat(log.appendAsLeader(batch(NOW, 1, "next"), 0).firstOffset()).isEqualTo(20);
        assertThat(log.numberOfSegments()).isEqualTo(2);
    }

    @Test
    void shouldRollWhenSegmentMsHasPassedSinceTheFirstBatch() {
        PartitionLog log = open(smallConfig(Map.of(LogConfig.SEGMENT_MS_CONFIG, "1000")));

        log.appendAsLeader(batch(NOW, 1, "a"), 0);
        log.appendAsLeader(batch(NOW + 900, 1, "b"), 0);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        log.appendAsLeader(batch(NOW + 1001, 1, "c"), 0);

        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 2L);
    }

    @Test
    void shouldDeleteSegmentsOlderThanRetentionMsButNeverTheActiveSegment() throws Exception {
        PartitionLog log = open(smallConfig(Map.of(LogConfig.RETENTION_MS_CONFIG, "60000")));
        appendBatches(log, 0, 20, 0); // timestamps NOW .. NOW+19s
        log.highWatermark().update(log.logEndOffset());
        int before = log.numberOfSegments();

        assertThat(log.retention().deleteOldSegments()).isZero();
        clock.advance(60_000 + 10_000);
        int deleted = log.retention().deleteOldSegments();
        assertThat(deleted).isPositive().isLessThan(before);
        assertThat(log.logStartOffset())
                .isEqualTo(log.segmentBaseOffsets().get(0))
                .isPositive();
        clock.advance(3_600_000);
        log.retention().deleteOldSegments();

        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(log.segmentBaseOffsets().get(0));
        assertThat(readAll(log, log.logStartOffset())).isNotEmpty();
        awaitNoDeletedFiles();
    }

    @Test
    void shouldDeleteOldestSegmentsWhileTheLogExceedsRetentionBytes() throws Exception {
        PartitionLog log = open(smallConfig(Map.of(LogConfig.RETENTION_BYTES_CONFIG, "2048")));
        appendBatches(log, 0, 40, 0);
        log.highWatermark().update(log.logEndOffset());
        long sizeBefore = log.size();

        log.retention().deleteOldSegments();

        assertThat(log.size()).isLessThan(sizeBefore).isGreaterThanOrEqualTo(2048 - 1024);
        assertThat(log.size() - log.segments().get(0).size()).isLessThan(2048);
        assertThat(log.logStartOffset()).isEqualTo(log.segmentBaseOffsets().get(0));
        assertThat(readAll(log, log.logStartOffset())).isNotEmpty();
        awaitNoDeletedFiles();
    }

    @Test
    void shouldNotDeleteSegmentsAboveTheHighWatermark() {
        PartitionLog log = open(smallConfig(Map.of(LogConfig.RETENTION_BYTES_CONFIG, "0")));
        appendBatches(log, 0, 40, 0);

        assertThat(log.retention().deleteOldSegments()).isZero();
        log.highWatermark().update(log.segmentBaseOffsets().get(2));
        assertThat(log.retention().deleteOldSegments()).isEqualTo(2);
    }

    @Test
    void shouldMoveLogStartOffsetOnDeleteRecordsAndDropWholeSegmentsBelowIt() {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 40, 0);
        log.highWatermark().update(100);

        assertThat(log.retention().deleteRecordsBefore(50)).isEqualTo(50);

        assertThat(log.logStartOffset()).isEqualTo(50);
        assertThat(log.segmentBaseOffsets().get(0)).isLessThanOrEqualTo(50);
        assertThat(log.segmentBaseOffsets().get(1)).isGreaterThan(50);
        assertThat(offsets(log.reader().read(50, 1 << 20, Long.MAX_VALUE, true).records()))
                .contains(50L);
        assertThatThrownBy(() -> log.retention().deleteRecordsBefore(101))
                .isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void shouldTruncateToAnOffsetThenAppendFromThere() {
        PartitionLog log = open(smallConfig(Map.of()));
        List<String> expected = new ArrayList<>(appendBatches(log, 0, 10, 1));
        expected.addAll(appendBatches(log, 10, 20, 2));
        int segmentsBefore = log.numberOfSegments();

        assertThat(log.truncateTo(30)).isTrue();

        assertThat(log.logEndOffset()).isEqualTo(30);
        assertThat(log.numberOfSegments()).isLessThan(segmentsBefore);
        assertThat(log.leaderEpochCache().latestEpoch()).hasValue(1);
        LogAppendInfo info = log.appendAsLeader(batch(NOW, 3, "new"), 3);
        assertThat(info.firstOffset()).isEqualTo(30);
        List<String> values = readAll(log, 0);
        assertThat(values.subList(0, 30)).isEqualTo(expected.subList(0, 30));
        assertThat(values.subList(30, 33)).containsExactly("new-0", "new-1", "new-2");
        assertThat(log.leaderEpochCache().epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 30));
        assertThat(log.reader().offsetForTimestamp(NOW + 9000))
                .map(TimestampAndOffset::offset)
                .hasValue(27L);
    }

    @Test
    void shouldTruncateInsideABatchToTheStartOfThatBatch() {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 3, 0);

        log.truncateTo(4);

        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void shouldTruncateFullyAndRestartAtANewOffset() {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 20, 1);

        log.truncateFullyAndStartAt(500);

        assertThat(log.logStartOffset()).isEqualTo(500);
        assertThat(log.logEndOffset()).isEqualTo(500);
        assertThat(log.segmentBaseOffsets()).containsExactly(500L);
        assertThat(log.leaderEpochCache().latestEpoch()).isEmpty();
        assertThat(log.appendAsLeader(batch(NOW, 2, "x"), 4).firstOffset()).isEqualTo(500);
        assertThat(readAll(log, 500)).containsExactly("x-0", "x-1");
    }

    @Test
    void shouldTruncateTornTailOfActiveSegmentOnRecovery() throws IOException {
        LogConfig config = smallConfig(Map.of());
        PartitionLog log = open(config);
        List<String> expected = appendBatches(log, 0, 20, 0);
        long recoveryPoint = log.recoveryPoint();
        log.closeHandlers();
        File active = LogFileNames.logFile(dir, log.segmentBaseOffsets().get(log.numberOfSegments() - 1));
        long length = active.length();
        try (RandomAccessFile raf = new RandomAccessFile(active, "rw")) {
            raf.setLength(length - 10); // cut the last batch
        }

        PartitionLog reopened = reopen(config, recoveryPoint, false);

        assertThat(reopened.logEndOffset()).isEqualTo(57);
        assertThat(reopened.loadInfo().bytesTruncated()).isPositive();
        assertThat(readAll(reopened, 0)).isEqualTo(expected.subList(0, 57));
        assertThat(reopened.appendAsLeader(batch(NOW, 1, "after"), 0).firstOffset())
                .isEqualTo(57);
        assertThat(readAll(reopened, 57)).containsExactly("after-0");
        reopened.segments().forEach(LogSegment::sanityCheck);
    }

    @Test
    void shouldTruncateGarbageAfterTheLastValidBatchOnRecovery() throws IOException {
        LogConfig config = smallConfig(Map.of());
        PartitionLog log = open(config);
        List<String> expected = appendBatches(log, 0, 12, 0);
        log.closeHandlers();
        File active = LogFileNames.logFile(dir, log.segmentBaseOffsets().get(log.numberOfSegments() - 1));
        long validLength = active.length();
        byte[] garbage = new byte[300];
        new Random(42).nextBytes(garbage);
        Files.write(active.toPath(), garbage, java.nio.file.StandardOpenOption.APPEND);

        PartitionLog reopened = reopen(config, 0, false);

        assertThat(active.length()).isEqualTo(validLength);
        assertThat(reopened.logEndOffset()).isEqualTo(36);
        assertThat(reopened.loadInfo().bytesTruncated()).isEqualTo(300);
        assertThat(readAll(reopened, 0)).isEqualTo(expected);
    }

    @Test
    void shouldTruncateZeroFilledTailOnRecovery() throws IOException {
        LogConfig config = smallConfig(Map.of());
        PartitionLog log = open(config);
        appendBatches(log, 0, 5, 0);
        log.closeHandlers();
        File active = LogFileNames.logFile(dir, 0);
        try (RandomAccessFile raf = new RandomAccessFile(active, "rw")) {
            raf.setLength(active.length() + 4096);
        }

        PartitionLog reopened = reopen(config, 0, false);

        assertThat(reopened.logEndOffset()).isEqualTo(15);
        assertThat(reopened.loadInfo().bytesTruncated()).isEqualTo(4096);
    }

    @Test
    void shouldNotRescanSegmentsWhenReopenedAfterACleanClose() {
        LogConfig config = smallConfig(Map.of());
        PartitionLog log = open(config);
        List<String> expected = appendBatches(log, 0, 30, 2);
        log.close();
        assertThat(log.recoveryPoint()).isEqualTo(90);

        PartitionLog reopened = reopen(config, log.recoveryPoint(), true);

        assertThat(reopened.loadInfo().segmentsRecovered()).isZero();
        assertThat(reopened.logEndOffset()).isEqualTo(90);
        assertThat(readAll(reopened, 0)).isEqualTo(expected);
        assertThat(reopened.reader().offsetForTimestamp(NOW + 29_000))
                .map(TimestampAndOffset::offset)
                .hasValue(87L);
        assertThat(reopened.leaderEpochCache().latestEpoch()).hasValue(2);
        assertThat(reopened.appendAsLeader(batch(NOW + 40_000, 1, "z"), 2).firstOffset())
                .isEqualTo(90);
    }

    @Test
    void shouldRebuildAMissingIndexWhenOpened() throws IOException {
        LogConfig config = smallConfig(Map.of());
        PartitionLog log = open(config);
        appendBatches(log, 0, 30, 0);
        int entries = log.segments().get(0).offsetIndex().entries();
        log.close();
        Files.delete(LogFileNames.offsetIndexFile(dir, 0).toPath());

        PartitionLog reopened = reopen(config, log.recoveryPoint(), true);

        assertThat(reopened.loadInfo().segmentsRecovered()).isEqualTo(1);
        assertThat(reopened.segments().get(0).offsetIndex().entries()).isEqualTo(entries);
        assertThat(readAll(reopened, 0)).hasSize(90);
    }

    @Test
    void shouldRefuseABatchWithABadCrcAndAppendNothing() {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 1, 0);
        MemoryRecords good = batch(NOW, 3, "ok");
        MemoryRecords bad = batch(NOW, 3, "bad");
        bad.buffer().put(bad.sizeInBytes() - 2, (byte) (bad.buffer().get(bad.sizeInBytes() - 2) ^ 0x55));

        assertThatThrownBy(() -> log.appendAsLeader(concat(good, bad), 0))
                .isInstanceOf(CorruptRecordException.class)
                .satisfies(e -> assertThat(Errors.forException(e)).isEqualTo(Errors.CORRUPT_MESSAGE));
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.size()).isEqualTo(log.segments().get(0).size());
        assertThat(readAll(log, 0)).hasSize(3);
    }

    @Test
    void shouldRefuseABatchLargerThanMaxMessageBytes() {
        PartitionLog log = open(smallConfig(Map.of(LogConfig.MAX_MESSAGE_BYTES_CONFIG, "200")));

        assertThatThrownBy(() -> log.appendAsLeader(TestRecords.batchOfSize(NOW, 1, 300), 0))
                .isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("200")
                .satisfies(e -> assertThat(Errors.forException(e)).isEqualTo(Errors.MESSAGE_TOO_LARGE));
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.size()).isZero();
    }

    @Test
    void shouldRefuseBatchesBelowMagicV2() {
        PartitionLog log = open(smallConfig(Map.of()));

        assertThatThrownBy(() -> log.appendAsLeader(TestRecords.batch(RecordBatch.MAGIC_VALUE_V1, NOW, 2, "old", 0), 0))
                .isInstanceOf(UnsupportedForMessageFormatException.class);
        assertThat(log.size()).isZero();
    }

    @Test
    void shouldRefuseTrailingBytesAfterTheLastBatch() {
        PartitionLog log = open(smallConfig(Map.of()));
        MemoryRecords good = batch(NOW, 3, "ok");
        ByteBuffer buffer = ByteBuffer.allocate(good.sizeInBytes() + 20);
        buffer.put(good.buffer().duplicate());
        buffer.putLong(0).putInt(1000).putLong(0);
        buffer.flip();

        assertThatThrownBy(() -> log.appendAsLeader(MemoryRecords.readableRecords(buffer), 0))
                .isInstanceOf(CorruptRecordException.class);
        assertThat(log.size()).isZero();
    }

    @Test
    void shouldKeepLeaderOffsetsAndEpochsOnFollowerAppend() throws IOException {
        PartitionLog leader = open(smallConfig(Map.of()));
        appendBatches(leader, 0, 2, 3);
        appendBatches(leader, 2, 2, 5);
        File followerDir = tmp.resolve("follower").resolve("orders-0").toFile();
        PartitionLog follower = track(PartitionLog.open(followerDir, smallConfig(Map.of()), scheduler, clock));

        LogAppendInfo info = follower.appendAsFollower(
                toMemory(leader.reader().read(0, 1 << 20, Long.MAX_VALUE, true).records()));

        assertThat(info.firstOffset()).isZero();
        assertThat(info.lastOffset()).isEqualTo(11);
        assertThat(follower.logEndOffset()).isEqualTo(12);
        assertThat(follower.leaderEpochCache().epochEntries())
                .containsExactly(new EpochEntry(3, 0), new EpochEntry(5, 6));
        assertThat(follower.leaderEpochCache().endOffsetFor(3, follower.logEndOffset()))
                .isEqualTo(new EpochEndOffset(3, 6));
        assertThat(readAll(follower, 0)).isEqualTo(readAll(leader, 0));
    }

    @Test
    void shouldRefuseAFollowerAppendThatDoesNotStartAtTheLogEnd() throws IOException {
        PartitionLog leader = open(smallConfig(Map.of()));
        appendBatches(leader, 0, 2, 0);
        File followerDir = tmp.resolve("follower").resolve("orders-0").toFile();
        PartitionLog follower = track(PartitionLog.open(followerDir, smallConfig(Map.of()), scheduler, clock));

        MemoryRecords fromThree =
                toMemory(leader.reader().read(3, 1 << 20, Long.MAX_VALUE, true).records());
        assertThatThrownBy(() -> follower.appendAsFollower(fromThree))
                .isInstanceOf(UnexpectedAppendOffsetException.class)
                .hasMessageContaining("log end offset is 0");
        assertThat(follower.logEndOffset()).isZero();
    }

    @Test
    void shouldIterateBatchesFromAnOffsetAcrossSegments() {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 30, 0);

        List<Long> bases = new ArrayList<>();
        log.reader().batchesFrom(31).forEach(b -> bases.add(b.baseOffset()));

        assertThat(bases).first().isEqualTo(30L);
        assertThat(bases).hasSize(20).last().isEqualTo(87L);
    }

    @Test
    void shouldGoOfflineOnAnIoErrorAndFailFastAfterwards() throws IOException {
        PartitionLog log = open(smallConfig(Map.of()));
        appendBatches(log, 0, 2, 0);
        log.segments().get(0).log().channel().close(); // the disk "fails"

        assertThatThrownBy(() -> log.appendAsLeader(batch(NOW, 1, "x"), 0))
                .isInstanceOf(KafkaStorageException.class)
                .hasMessageContaining("orders-0");
        assertThat(log.isOffline()).isTrue();
        assertThatThrownBy(() -> log.reader().read(0, 100, Long.MAX_VALUE, true))
                .isInstanceOf(KafkaStorageException.class);
        assertThatThrownBy(() -> log.truncateTo(0)).isInstanceOf(KafkaStorageException.class);
    }

    @Test
    void shouldFlushAfterFlushMessagesRecords() {
        PartitionLog log = open(smallConfig(Map.of(LogConfig.FLUSH_MESSAGES_CONFIG, "6")));

        appendBatches(log, 0, 1, 0);
        assertThat(log.recoveryPoint()).isZero();
        appendBatches(log, 1, 1, 0);
        assertThat(log.recoveryPoint()).isEqualTo(6);
    }

    @Test
    void shouldRefuseInvalidRecordCounts() {
        PartitionLog log = open(smallConfig(Map.of()));
        MemoryRecords records = batch(NOW, 3, "x");
        // the record count (byte 57 of the header) is inside the CRC: setMaxTimestamp recomputes it
        records.buffer().putInt(57, 5);
        var batch = records.batches().iterator().next();
        batch.setMaxTimestamp(org.apache.kafka.common.record.TimestampType.CREATE_TIME, batch.maxTimestamp() + 1);

        assertThatThrownBy(() -> log.appendAsLeader(records, 0)).isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void shouldKeepServingASliceOfASegmentThatRetentionDeleted() throws IOException {
        PartitionLog log = open(smallConfig(
                Map.of(LogConfig.RETENTION_BYTES_CONFIG, "0", LogConfig.FILE_DELETE_DELAY_MS_CONFIG, "60000")));
        appendBatches(log, 0, 20, 0);
        log.highWatermark().update(log.logEndOffset());
        FileRecords inFlight = (FileRecords)
                log.reader().read(0, 1 << 20, Long.MAX_VALUE, true).records();

        assertThat(log.retention().deleteOldSegments()).isPositive();

        assertThat(LogFileNames.logFile(dir, 0)).doesNotExist();
        assertThat(new File(dir, "00000000000000000000.log" + LogFileNames.DELETED_FILE_SUFFIX))
                .exists();
        ByteBuffer copy = ByteBuffer.allocate(inFlight.sizeInBytes());
        inFlight.readInto(copy, 0);
        assertThat(offsets(MemoryRecords.readableRecords(copy))).startsWith(0L, 1L, 2L);
        assertThatThrownBy(() -> log.reader().read(0, 100, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void shouldServeOnlyCompleteBatchesToReadersRacingWithAppends() throws Exception {
        PartitionLog log = open(smallConfig(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, "8192")));
        int batches = 1500;
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                long next = 0;
                while (next < batches * 3L) {
                    FetchDataInfo info = log.reader().read(next, 4096, Long.MAX_VALUE, true);
                    for (RecordBatch batch : info.records().batches()) {
                        batch.ensureValid();
                        assertThat(batch.baseOffset()).isLessThanOrEqualTo(next);
                        assertThat(batch.lastOffset()).isGreaterThanOrEqualTo(next);
                        next = batch.nextOffset();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        appendBatches(log, 0, batches, 0);
        reader.join(30_000);

        assertThat(reader.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
    }

    private void awaitNoDeletedFiles() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            File[] deleted = dir.listFiles((d, name) -> name.endsWith(LogFileNames.DELETED_FILE_SUFFIX));
            if (deleted == null || deleted.length == 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("files still pending deletion in " + dir);
    }

    private static MemoryRecords concat(MemoryRecords... parts) {
        int size = 0;
        for (MemoryRecords part : parts) {
            size += part.sizeInBytes();
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (MemoryRecords part : parts) {
            buffer.put(part.buffer().duplicate());
        }
        buffer.flip();
        return MemoryRecords.readableRecords(buffer);
    }

    private static MemoryRecords toMemory(Records records) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(records.sizeInBytes());
        ((FileRecords) records).readInto(buffer, 0);
        return MemoryRecords.readableRecords(buffer);
    }
}
