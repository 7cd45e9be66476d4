package io.tributary.storage.log;

import static io.tributary.storage.log.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.storage.log.index.OffsetPosition;
import io.tributary.storage.testing.KafkaDumpLogSegments;
import io.tributary.storage.testing.KafkaDumpLogSegments.Dump;
import io.tributary.storage.testing.KafkaDumpLogSegments.DumpedBatch;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, torn writes: the files a {@code kill -9} leaves in the middle of a segment roll or of
 * an index write, made on disk directly (a process kill keeps every byte already handed to the
 * kernel, and the indexes are memory-mapped, so the torn states are exactly these). After the
 * reopen that follows an unclean stop, no appended record is lost, offsets read back densely, a
 * new append lands at the old log end, and Kafka's own {@code DumpLogSegments} accepts every
 * segment and index. {@code TornWritesIT} kills a real broker during a storm of rolls.
 */
class TornWriteRecoveryTest {

    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path tmp;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final LogConfig config = PartitionLogTest.smallConfig(Map.of());
    private File dir;
    private List<String> appended;
    private long logEnd;
    private long activeBase;
    private int segmentsBeforeCrash;

    @BeforeEach
    void appendThenCrash() {
        dir = tmp.resolve("orders-0").toFile();
        PartitionLog log = PartitionLog.open(dir, config, scheduler, Clock.systemUTC());
        appended = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(NOW + i, 3, "b" + i), 1);
            for (int j = 0; j < 3; j++) {
                appended.add("b" + i + "-" + j);
            }
        }
        logEnd = log.logEndOffset();
        activeBase = log.segmentBaseOffsets().get(log.numberOfSegments() - 1);
        segmentsBeforeCrash = log.numberOfSegments();
        // like kill -9: no flush, no trim of the active indexes, no clean-shutdown marker
        log.closeHandlers();
        assertThat(segmentsBeforeCrash).isGreaterThan(3);
        assertThat(activeBase).isLessThan(logEnd);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldRecoverACrashAfterARollCreatedTheNewSegmentFileButNotItsIndexes() throws Exception {
        Files.createFile(LogFileNames.logFile(dir, logEnd).toPath());

        PartitionLog recovered = reopenAfterCrash();

        assertThat(recovered.segmentBaseOffsets())
                .hasSize(segmentsBeforeCrash + 1)
                .last()
                .isEqualTo(logEnd);
        assertRecoveredWholeAndAcceptedByDumpLogSegments(recovered);
    }

    @Test
    void shouldRecoverACrashAfterARollCreatedTheNewOffsetIndexButNotItsTimeIndex() throws Exception {
        Files.createFile(LogFileNames.logFile(dir, logEnd).toPath());
        try (RandomAccessFile index = new RandomAccessFile(LogFileNames.offsetIndexFile(dir, logEnd), "rw")) {
            index.setLength(config.segmentIndexBytes());
        }

        PartitionLog recovered = reopenAfterCrash();

        assertRecoveredWholeAndAcceptedByDumpLogSegments(recovered);
    }

    @Test
    void shouldRebuildAnActiveOffsetIndexWhoseLastEntryWasTornMidWrite() throws Exception {
        File index = LogFileNames.offsetIndexFile(dir, activeBase);
        int slot = firstZeroSlot(index, 8);
        try (RandomAccessFile file = new RandomAccessFile(index, "rw")) {
            // the relative offset of an entry past the log end made it, two bytes of its position did
            file.seek(slot * 8L);
            file.writeInt((int) (logEnd + 7 - activeBase));
            file.write(new byte[] {(byte) 0x7f, (byte) 0xff});
        }

        PartitionLog recovered = reopenAfterCrash();

        assertRecoveredWholeAndAcceptedByDumpLogSegments(recovered);
    }

    @Test
    void shouldRebuildATimeIndexWithGarbageAfterItsLastEntry() throws Exception {
        File timeIndex = LogFileNames.timeIndexFile(dir, activeBase);
        int slot = firstZeroSlot(timeIndex, 12);
        try (RandomAccessFile file = new RandomAccessFile(timeIndex, "rw")) {
            file.seek(slot * 12L);
            file.write("torn-entry".getBytes(StandardCharsets.US_ASCII));
        }

        PartitionLog recovered = reopenAfterCrash();

        assertRecoveredWholeAndAcceptedByDumpLogSegments(recovered);
    }

    @Test
    void shouldRebuildAnInactiveSegmentsIndexCutMidEntryEvenBelowTheRecoveryPoint() throws Exception {
        long inactiveBase = 0;
        File index = LogFileNames.offsetIndexFile(dir, inactiveBase);
        try (RandomAccessFile file = new RandomAccessFile(index, "rw")) {
            assertThat(file.length()).isGreaterThan(8);
            file.setLength(file.length() - 3);
        }

        // the recovery point says segment 0 was flushed: only its failed sanity check sends it to a rescan
        PartitionLog recovered = PartitionLog.open(dir, config, 0, activeBase, false, scheduler, Clock.systemUTC());

        assertThat(recovered.loadInfo().segmentsRecovered()).isGreaterThanOrEqualTo(2);
        assertRecoveredWholeAndAcceptedByDumpLogSegments(recovered);
    }

    /** Reopens as after an unclean stop whose last checkpointed recovery point is the active segment's base. */
    private PartitionLog reopenAfterCrash() {
        return PartitionLog.open(dir, config, 0, activeBase, false, scheduler, Clock.systemUTC());
    }

    private void assertRecoveredWholeAndAcceptedByDumpLogSegments(PartitionLog recovered) throws Exception {
        assertThat(recovered.logEndOffset()).as("no appended record lost").isEqualTo(logEnd);
        assertThat(readAll(recovered)).containsExactlyElementsOf(appended);
        LogAppendInfo next = recovered.appendAsLeader(batch(NOW + 100, 3, "after"), 1);
        assertThat(next.firstOffset()).isEqualTo(logEnd);
        recovered.close();

        Dump dump = KafkaDumpLogSegments.run(dir, tmp.resolve("dump"), "--deep-iteration");
        dump.assertNoToolErrors();
        long expected = 0;
        for (long base : recovered.segmentBaseOffsets()) {
            List<DumpedBatch> batches = dump.batches(LogFileNames.logFile(dir, base));
            for (DumpedBatch b : batches) {
                assertThat(b.baseOffset()).as("dense offsets").isEqualTo(expected);
                assertThat(b.valid()).isTrue();
                expected = b.lastOffset() + 1;
            }
            for (OffsetPosition entry : dump.indexEntries(LogFileNames.offsetIndexFile(dir, base))) {
                assertThat(batches)
                        .as("index entry %s of segment %d names a batch", entry, base)
                        .anyMatch(b -> b.lastOffset() == entry.offset() && b.position() == entry.position());
            }
        }
        assertThat(expected).isEqualTo(logEnd + 3);
        KafkaDumpLogSegments.run(dir, tmp.resolve("dump"), "--index-sanity-check")
                .assertNoToolErrors();
    }

    /** The first slot of an untrimmed index whose bytes are all zero: where the next entry would go. */
    private static int firstZeroSlot(File index, int entrySize) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(index.toPath()));
        for (int slot = 1; (slot + 1) * entrySize <= bytes.limit(); slot++) {
            boolean zero = true;
            for (int i = 0; i < entrySize && zero; i++) {
                zero = bytes.get(slot * entrySize + i) == 0;
            }
            if (zero) {
                return slot;
            }
        }
        throw new AssertionError(index + " has no free slot: it was trimmed");
    }

    private static List<String> readAll(PartitionLog log) {
        List<String> values = new ArrayList<>();
        long next = 0;
        while (next < log.logEndOffset()) {
            FetchDataInfo info = log.reader().read(next, 1 << 20, Long.MAX_VALUE, true);
            assertThat(info.records().sizeInBytes()).isPositive();
            for (RecordBatch batch : info.records().batches()) {
                for (var record : batch) {
                    values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
                }
                next = batch.nextOffset();
            }
        }
        return values;
    }
}
