package io.tributary.microbenchmarks;

import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.PartitionLog;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

/** Shared helpers: the benchmark batch and scratch directories. */
final class BenchData {

    /** Target size of one producer batch (the producer's default {@code batch.size}). */
    static final int BATCH_BYTES = 16 * 1024;

    private BenchData() {}

    /** One uncompressed v2 batch of about 16 KiB of {@code recordSize}-byte random values. */
    static MemoryRecords batch(int recordSize, long timestamp) {
        ByteBuffer buffer = ByteBuffer.allocate(BATCH_BYTES);
        MemoryRecordsBuilder builder = MemoryRecords.builder(
                buffer, RecordBatch.MAGIC_VALUE_V2, Compression.NONE, TimestampType.CREATE_TIME, 0L);
        Random random = new Random(recordSize);
        byte[] value = new byte[recordSize];
        while (true) {
            random.nextBytes(value);
            if (!builder.hasRoomFor(
                    timestamp, (byte[]) null, value, org.apache.kafka.common.record.Record.EMPTY_HEADERS)) {
                break;
            }
            builder.append(timestamp, null, value);
        }
        return builder.build();
    }

    /**
     * A log that rolls {@code segmentBytes}-byte segments and keeps about {@code keepSegments} of
     * them: every 100 ms on {@code scheduler}, its high watermark follows its end (nothing
     * replicates) and retention by {@code retention.bytes} drops the oldest, as a broker's
     * scheduler would.
     */
    static PartitionLog appendOnlyLog(Path dir, int segmentBytes, int keepSegments, ScheduledExecutorService scheduler)
            throws IOException {
        LogConfig config = LogConfig.fromMap(Map.of(
                LogConfig.SEGMENT_BYTES_CONFIG, Integer.toString(segmentBytes),
                LogConfig.RETENTION_BYTES_CONFIG, Long.toString((keepSegments - 1L) * segmentBytes),
                LogConfig.FILE_DELETE_DELAY_MS_CONFIG, "0"));
        PartitionLog log = PartitionLog.open(dir.resolve("bench-0").toFile(), config, scheduler, Clock.systemUTC());
        scheduler.scheduleWithFixedDelay(
                () -> {
                    log.highWatermark().update(log.logEndOffset());
                    log.retention().deleteOldSegments();
                },
                100,
                100,
                TimeUnit.MILLISECONDS);
        return log;
    }

    /** A fresh scratch directory under {@code -Dbench.dir} (default: java.io.tmpdir). */
    static Path scratchDir(String name) throws IOException {
        Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(base);
        return Files.createTempDirectory(base, name);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
