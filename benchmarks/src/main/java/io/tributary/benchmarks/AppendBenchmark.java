package io.tributary.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.tributary.storage.log.LogAppendInfo;
import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.PartitionLog;

import org.apache.kafka.common.record.MemoryRecords;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Append throughput of {@link PartitionLog#appendAsLeader} against a plain sequential
 * {@link FileChannel#write} of the same 16 KiB batch on the same disk. One operation appends one
 * batch, so ops/s × batch bytes is the byte rate and the ratio of the two scores is the
 * log's overhead (validation with CRC32C, offset assignment, indexes, rolls).
 *
 * <p>Both sides write the same bytes to the same directory and treat them the same way: the log
 * rolls {@value #SEGMENT_BYTES}-byte segments, fsyncs each rolled segment in the background (as
 * Kafka does) and drops old segments by {@code retention.bytes}; the baseline rolls files of the
 * same size, fsyncs each full file on a background thread and deletes the oldest, so at most
 * {@value #KEEP_BYTES} bytes stay on disk on either side. Without the background fsync the baseline
 * would only ever write to the page cache (its files are deleted before writeback) while the log's
 * bytes reach the disk, which measures the disk, not the code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppendBenchmark {

    static final int SEGMENT_BYTES = 128 * 1024 * 1024;
    static final long KEEP_BYTES = 4L * SEGMENT_BYTES;

    @Param({"100", "1024"})
    public int recordSize;

    private MemoryRecords batch;
    private Path dir;
    private ScheduledExecutorService scheduler;
    private PartitionLog log;
    private long appendsSinceRetention;

    private FileChannel channel;
    private long channelBytes;
    private int fileNumber;
    private final Deque<Path> files = new ArrayDeque<>();

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        batch = BenchData.batch(recordSize, System.currentTimeMillis());
        dir = BenchData.scratchDir("append-bench");
        scheduler = Executors.newSingleThreadScheduledExecutor();
        LogConfig config = LogConfig.fromMap(Map.of(
                LogConfig.SEGMENT_BYTES_CONFIG, Integer.toString(SEGMENT_BYTES),
                LogConfig.RETENTION_BYTES_CONFIG, Long.toString(KEEP_BYTES - SEGMENT_BYTES),
                LogConfig.FILE_DELETE_DELAY_MS_CONFIG, "0"));
        log = PartitionLog.open(dir.resolve("bench-0").toFile(), config, scheduler, Clock.systemUTC());
        Files.createDirectories(dir.resolve("plain"));
        nextPlainFile();
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws IOException, InterruptedException {
        log.close();
        channel.force(true);
        channel.close();
        scheduler.shutdown();
        scheduler.awaitTermination(30, TimeUnit.SECONDS);
        BenchData.deleteRecursively(dir);
    }

    @Benchmark
    public LogAppendInfo partitionLogAppend() {
        LogAppendInfo info = log.appendAsLeader(batch, 0);
        if (++appendsSinceRetention == 1024) {
            appendsSinceRetention = 0;
            log.updateHighWatermark(log.logEndOffset());
            log.deleteOldSegments();
        }
        return info;
    }

    @Benchmark
    public long fileChannelWrite() throws IOException {
        ByteBuffer buffer = batch.buffer().duplicate();
        long written = 0;
        while (buffer.hasRemaining()) {
            written += channel.write(buffer);
        }
        channelBytes += written;
        if (channelBytes + batch.sizeInBytes() > SEGMENT_BYTES) {
            nextPlainFile();
        }
        return written;
    }

    private void nextPlainFile() throws IOException {
        if (channel != null) {
            FileChannel full = channel;
            scheduler.execute(() -> {
                try (full) {
                    full.force(true);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        Path file = dir.resolve("plain").resolve(String.format("%020d.log", fileNumber++));
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        channelBytes = 0;
        files.addLast(file);
        while (files.size() > KEEP_BYTES / SEGMENT_BYTES) {
            Files.deleteIfExists(files.removeFirst());
        }
    }
}
