package io.tributary.microbenchmarks;

import io.tributary.storage.log.LogAppendInfo;
import io.tributary.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.MemoryRecords;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * rolls {@code segmentBytes}-byte segments, fsyncs each rolled segment in the background (as
 * Kafka does) and a background retention task drops old segments by {@code retention.bytes}; the
 * baseline rolls files of the same size, and fsyncs each full file and deletes the oldest on the
 * same two background threads, so about {@value #KEEP_SEGMENTS} segments stay on disk on either side. Without the background fsync the baseline
 * would only ever write to the page cache (its files are deleted before writeback) while the log's
 * bytes reach the disk, which measures the disk, not the code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppendBenchmark {

    static final long STALL_NANOS = 2_000_000;

    /** Segments (and baseline files) kept on disk per side. */
    static final int KEEP_SEGMENTS = 4;

    /** {@code segment.bytes}, and the size of the baseline's files (128 MiB; Kafka's default is 1 GiB). */
    @Param({"134217728"})
    public int segmentBytes;

    @Param({"100", "1024"})
    public int recordSize;

    private MemoryRecords batch;
    private Path dir;
    private ScheduledExecutorService scheduler;
    private PartitionLog log;

    private long pairs;
    private FileChannel channel;
    private long channelBytes;
    private int fileNumber;
    private final Deque<Path> files = new ArrayDeque<>();

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        batch = BenchData.batch(recordSize, System.currentTimeMillis());
        dir = BenchData.scratchDir("append-bench");
        // two background threads, as a broker's scheduler would have: the log's flush after a
        // roll, file deletion and retention; the same for the baseline's fsync and deletion
        scheduler = Executors.newScheduledThreadPool(2);
        log = BenchData.appendOnlyLog(dir, segmentBytes, KEEP_SEGMENTS, scheduler);
        Files.createDirectories(dir.resolve("plain"));
        nextPlainFile();
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws IOException, InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(30, TimeUnit.SECONDS);
        log.close();
        channel.force(true);
        channel.close();
        BenchData.deleteRecursively(dir);
    }

    @Benchmark
    public LogAppendInfo partitionLogAppend() {
        return log.appendAsLeader(batch, 0);
    }

    /**
     * Time spent in each side when they alternate batch by batch, so that both see the same
     * machine: on a shared, noisy host the two separate benchmarks above can run minutes apart
     * under different load. One operation = one append to the log and one write of the same
     * bytes to the plain file, in alternating order. {@code logNanos} and {@code plainNanos} are
     * the totals per iteration; plainNanos ÷ logNanos is the log's rate relative to the baseline.
     * {@code *Stalls} and {@code *StallNanos} count the operations that took over 2 ms (dirty-page
     * throttling, descheduling on a loaded host) and the time spent in them.
     */
    @Benchmark
    public void interleaved(PairedTimes times) throws IOException {
        boolean logFirst = (++pairs & 1) == 0;
        long t0 = System.nanoTime();
        if (logFirst) {
            log.appendAsLeader(batch, 0);
        } else {
            fileChannelWrite();
        }
        long t1 = System.nanoTime();
        if (logFirst) {
            fileChannelWrite();
        } else {
            log.appendAsLeader(batch, 0);
        }
        long t2 = System.nanoTime();
        long l = logFirst ? t1 - t0 : t2 - t1;
        long p = logFirst ? t2 - t1 : t1 - t0;
        times.logNanos += l;
        times.plainNanos += p;
        if (l > STALL_NANOS) {
            times.logStallNanos += l;
            times.logStalls++;
        }
        if (p > STALL_NANOS) {
            times.plainStallNanos += p;
            times.plainStalls++;
        }
    }

    /** The per-side totals {@link #interleaved} reports (JMH prints them as secondary results). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class PairedTimes {
        public long logNanos;
        public long plainNanos;
        public long logStallNanos;
        public long plainStallNanos;
        public long logStalls;
        public long plainStalls;

        @Setup(Level.Iteration)
        public void reset() {
            logNanos = 0;
            plainNanos = 0;
            logStallNanos = 0;
            plainStallNanos = 0;
            logStalls = 0;
            plainStalls = 0;
        }
    }

    @Benchmark
    public long fileChannelWrite() throws IOException {
        ByteBuffer buffer = batch.buffer().duplicate();
        long written = 0;
        while (buffer.hasRemaining()) {
            written += channel.write(buffer);
        }
        channelBytes += written;
        if (channelBytes + batch.sizeInBytes() > segmentBytes) {
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
        while (files.size() > KEEP_SEGMENTS) {
            Path oldest = files.removeFirst();
            scheduler.execute(() -> {
                try {
                    Files.deleteIfExists(oldest);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}
