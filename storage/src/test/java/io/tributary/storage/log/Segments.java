package io.tributary.storage.log;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;

/** Small factories for segment-level tests: real files, batches with given offsets, crash damage. */
final class Segments {

    static final long NOW = 1_700_000_000_000L;

    private Segments() {}

    /** Index entry every ~2 batches of 3 records, small preallocated indexes. */
    static LogConfig config() {
        return PartitionLogTest.smallConfig(Map.of());
    }

    static LogConfig config(Map<String, String> extra) {
        return PartitionLogTest.smallConfig(extra);
    }

    /** One v2 batch of {@code count} records at offsets {@code base..base+count-1}, all at {@code timestamp}. */
    static MemoryRecords batchAt(long base, long timestamp, int count) {
        return TestRecords.batch(RecordBatch.MAGIC_VALUE_V2, timestamp, count, "v" + base, base);
    }

    /** A new segment at {@code base} with {@code batches} batches of 3 records, timestamps NOW + i*1000. */
    static LogSegment segmentWithBatches(File dir, long base, int batches, LogConfig config, Clock clock)
            throws IOException {
        LogSegment segment = LogSegment.open(dir, base, config, clock, false);
        for (int i = 0; i < batches; i++) {
            segment.append(batchAt(base + 3L * i, NOW + 1000L * i, 3));
        }
        return segment;
    }

    /** Cuts {@code bytes} off the end of {@code file}, as a torn write leaves it. */
    static void chop(File file, int bytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.setLength(raf.length() - bytes);
        }
    }

    /** Appends {@code bytes} bytes of non-zero garbage to {@code file}. */
    static void appendGarbage(File file, int bytes) throws IOException {
        byte[] garbage = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        Files.write(file.toPath(), garbage, StandardOpenOption.APPEND);
    }
}
