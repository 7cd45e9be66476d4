package io.tributary.storage.log;

import static io.tributary.storage.log.Segments.NOW;
import static io.tributary.storage.log.Segments.batchAt;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentScanTest {

    @TempDir
    Path tmp;

    private final List<Long> visitedBases = new ArrayList<>();
    private final List<Integer> visitedPositions = new ArrayList<>();

    private int scan(long baseOffset, MemoryRecords... batches) throws IOException {
        File file = tmp.resolve(LogFileNames.filenamePrefixFromOffset(baseOffset) + ".log")
                .toFile();
        try (FileRecords log = FileRecords.open(file)) {
            for (MemoryRecords batch : batches) {
                log.append(batch);
            }
            return SegmentScan.validBytes(log, baseOffset, (batch, position) -> {
                visitedBases.add(batch.baseOffset());
                visitedPositions.add(position);
            });
        }
    }

    @Test
    void shouldVisitEveryValidBatchWithItsPosition() throws IOException {
        MemoryRecords first = batchAt(10, NOW, 3);
        MemoryRecords second = batchAt(13, NOW, 2);

        int valid = scan(10, first, second);

        assertThat(valid).isEqualTo(first.sizeInBytes() + second.sizeInBytes());
        assertThat(visitedBases).containsExactly(10L, 13L);
        assertThat(visitedPositions).containsExactly(0, first.sizeInBytes());
    }

    @Test
    void shouldStopAtABatchWhoseOffsetsDoNotIncrease() throws IOException {
        MemoryRecords first = batchAt(10, NOW, 3);

        int valid = scan(10, first, batchAt(12, NOW, 3), batchAt(20, NOW, 1));

        assertThat(valid).isEqualTo(first.sizeInBytes());
        assertThat(visitedBases).containsExactly(10L);
    }

    @Test
    void shouldStopAtABatchBelowTheBaseOffsetOrBelowMagicV2() throws IOException {
        assertThat(scan(10, batchAt(5, NOW, 3))).isZero();

        MemoryRecords v2 = batchAt(30, NOW, 2);
        MemoryRecords v1 = TestRecords.batch(RecordBatch.MAGIC_VALUE_V1, NOW, 2, "old", 32);
        assertThat(scan(30, v2, v1)).isEqualTo(v2.sizeInBytes());
    }

    @Test
    void shouldStopAtABatchWithACorruptCrc() throws IOException {
        MemoryRecords first = batchAt(0, NOW, 3);
        MemoryRecords corrupt = batchAt(3, NOW, 3);
        // flip a byte in the last record's value, inside the CRC'd part
        int last = corrupt.sizeInBytes() - 1;
        corrupt.buffer().put(last, (byte) (corrupt.buffer().get(last) ^ 0xff));

        assertThat(scan(0, first, corrupt)).isEqualTo(first.sizeInBytes());
        assertThat(visitedBases).containsExactly(0L);
    }
}
