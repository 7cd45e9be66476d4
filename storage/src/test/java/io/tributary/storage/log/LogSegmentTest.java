package io.tributary.storage.log;

import static io.tributary.storage.log.Segments.NOW;
import static io.tributary.storage.log.Segments.batchAt;
import static io.tributary.storage.log.Segments.config;
import static io.tributary.storage.log.Segments.segmentWithBatches;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSegmentTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW);
    private final List<LogSegment> opened = new ArrayList<>();

    @AfterEach
    void tearDown() {
        opened.forEach(LogSegment::closeHandlers);
    }

    private File dir() {
        return tmp.toFile();
    }

    private LogSegment segment(long base, int batches) throws IOException {
        return track(segmentWithBatches(dir(), base, batches, config(), clock));
    }

    private LogSegment reopen(long base) throws IOException {
        return track(LogSegment.open(dir(), base, config(), clock, true));
    }

    private LogSegment track(LogSegment segment) {
        opened.add(segment);
        return segment;
    }

    private static List<Long> batchBases(LogSegment segment) {
        List<Long> bases = new ArrayList<>();
        for (RecordBatch batch : segment.log().batches()) {
            bases.add(batch.baseOffset());
        }
        return bases;
    }

    @Test
    void shouldReadWholeBatchesFromTheBatchContainingTheStartOffset() throws IOException {
        LogSegment segment = segment(100, 5);

        FetchDataInfo info = segment.read(107, 1 << 20, segment.size(), Long.MAX_VALUE, 115, false, 100, 115);

        assertThat(TestRecords.offsets(info.records()))
                .containsExactly(106L, 107L, 108L, 109L, 110L, 111L, 112L, 113L, 114L);
        assertThat(info.fetchOffsetMetadata().segmentBaseOffset()).isEqualTo(100);
        assertThat(segment.readNextOffset()).isEqualTo(115);
        assertThat(segment.read(115, 1 << 20, segment.size(), Long.MAX_VALUE, 115, false, 100, 115))
                .isNull();
    }

    @Test
    void shouldTranslateAnOffsetToThePositionOfItsBatch() throws IOException {
        LogSegment segment = segment(0, 6);
        int thirdBatchPosition = 0;
        int i = 0;
        for (RecordBatch batch : segment.log().batches()) {
            if (i++ == 3) {
                break;
            }
            thirdBatchPosition += batch.sizeInBytes();
        }

        FileRecords.LogOffsetPosition position = segment.translateOffset(10, 0);

        assertThat(position.offset).as("base offset of the batch 9..11").isEqualTo(9);
        assertThat(position.position).isEqualTo(thirdBatchPosition);
        assertThat(segment.translateOffset(18, 0)).isNull();
    }

    @Test
    void shouldFindTheFirstOffsetAtOrAfterATimestamp() throws IOException {
        LogSegment segment = segment(0, 6);

        assertThat(segment.findOffsetByTimestamp(NOW + 2500, 0))
                .map(TimestampAndOffset::offset)
                .contains(9L);
        assertThat(segment.findOffsetByTimestamp(NOW, 4))
                .map(TimestampAndOffset::offset)
                .contains(4L);
        assertThat(segment.findOffsetByTimestamp(NOW + 9000, 0)).isEmpty();
        assertThat(segment.maxTimestampSoFar()).isEqualTo(NOW + 5000);
        assertThat(segment.offsetOfMaxTimestampSoFar()).isEqualTo(17);
    }

    @Test
    void shouldTruncateATornTailOnRecoveryAndRebuildTheIndexes() throws IOException {
        LogSegment segment = segment(0, 8);
        int entries = segment.offsetIndex().entries();
        int fullSize = segment.size();
        segment.closeHandlers();
        Segments.chop(LogFileNames.logFile(dir(), 0), 10);

        LogSegment reopened = reopen(0);
        int truncated = SegmentRecovery.recover(reopened);

        assertThat(truncated).isPositive();
        assertThat(reopened.size()).isLessThan(fullSize - 10);
        assertThat(batchBases(reopened)).containsExactly(0L, 3L, 6L, 9L, 12L, 15L, 18L);
        assertThat(reopened.readNextOffset()).isEqualTo(21);
        assertThat(reopened.offsetIndex().entries()).isBetween(entries - 1, entries);
        reopened.sanityCheck();
    }

    @Test
    void shouldTruncateGarbageAfterTheLastValidBatchOnRecovery() throws IOException {
        LogSegment segment = segment(0, 4);
        int size = segment.size();
        segment.closeHandlers();
        Segments.appendGarbage(LogFileNames.logFile(dir(), 0), 123);

        LogSegment reopened = reopen(0);

        assertThat(SegmentRecovery.recover(reopened)).isEqualTo(123);
        assertThat(reopened.size()).isEqualTo(size);
        assertThat(LogFileNames.logFile(dir(), 0).length()).isEqualTo(size);
        assertThat(reopened.readNextOffset()).isEqualTo(12);
    }

    @Test
    void shouldRebuildAMissingOffsetIndexFromTheLog() throws IOException {
        LogSegment segment = segment(0, 8);
        int entries = segment.offsetIndex().entries();
        long lookup = segment.offsetIndex().lookup(20).offset();
        segment.close();
        Files.delete(LogFileNames.offsetIndexFile(dir(), 0).toPath());

        LogSegment reopened = reopen(0);
        assertThat(reopened.indexFilesExisted()).isFalse();
        assertThat(SegmentRecovery.recover(reopened)).isZero();

        assertThat(reopened.offsetIndex().entries()).isEqualTo(entries);
        assertThat(reopened.offsetIndex().lookup(20).offset()).isEqualTo(lookup);
    }

    @Test
    void shouldTruncateToTheStartOfTheBatchHoldingTheOffset() throws IOException {
        LogSegment segment = segment(0, 6);
        int positionOfBatch9 = segment.translateOffset(9, 0).position;

        int removed = segment.truncateTo(10);

        assertThat(segment.size()).isEqualTo(positionOfBatch9);
        assertThat(removed).isPositive();
        assertThat(segment.readNextOffset()).isEqualTo(9);
        assertThat(segment.maxTimestampSoFar()).isEqualTo(NOW + 2000);
        assertThat(segment.translateOffset(9, 0)).isNull();
        segment.append(batchAt(9, NOW + 7000, 3));
        assertThat(batchBases(segment)).containsExactly(0L, 3L, 6L, 9L);
    }

    @Test
    void shouldKeepTheMaxTimestampAcrossACleanCloseAndReopen() throws IOException {
        LogSegment segment = segment(0, 5);
        segment.onBecomeInactiveSegment();
        segment.close();

        LogSegment reopened = reopen(0);
        reopened.loadLargestTimestamp(false);

        assertThat(reopened.maxTimestampSoFar()).isEqualTo(NOW + 4000);
        assertThat(reopened.offsetOfMaxTimestampSoFar()).isEqualTo(14);
        reopened.sanityCheck();
    }
}
