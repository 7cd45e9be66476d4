package io.tributary.microbenchmarks;

import io.tributary.storage.log.FetchDataInfo;
import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.LogFileNames;
import io.tributary.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Sequential read throughput of {@link PartitionLog#reader()}{@code .read} (1 MiB fetches, as a consumer with
 * {@code max.partition.fetch.bytes} = 1 MiB) against plain {@link FileChannel#read} of the same
 * file in 1 MiB chunks. Both copy the bytes into the same direct buffer, so both pay for reading
 * them; the log's extra cost is the offset lookup and the walk over batch headers. The data set
 * ({@value #LOG_BYTES} bytes) is in the page cache: this measures the software path, not the disk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReadBenchmark {

    static final int FETCH_BYTES = 1024 * 1024;
    static final long LOG_BYTES = 256L * 1024 * 1024;

    private Path dir;
    private ScheduledExecutorService scheduler;
    private PartitionLog log;
    private FileChannel plain;
    private long plainSize;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(FETCH_BYTES + BenchData.BATCH_BYTES);
    private long nextOffset;
    private long nextPosition;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchData.scratchDir("read-bench");
        scheduler = Executors.newSingleThreadScheduledExecutor();
        // one segment, so the plain baseline can read the very same file
        LogConfig config = LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, Integer.toString(1 << 30)));
        log = PartitionLog.open(dir.resolve("bench-0").toFile(), config, scheduler, Clock.systemUTC());
        MemoryRecords batch = BenchData.batch(1024, System.currentTimeMillis());
        while (log.size() < LOG_BYTES) {
            log.appendAsLeader(batch, 0);
        }
        log.flush();
        plain = FileChannel.open(LogFileNames.logFile(log.dir(), 0).toPath(), StandardOpenOption.READ);
        plainSize = plain.size();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        plain.close();
        log.close();
        scheduler.shutdown();
        scheduler.awaitTermination(30, TimeUnit.SECONDS);
        BenchData.deleteRecursively(dir);
    }

    /** Bytes read per operation: one fetch. */
    @Benchmark
    public int partitionLogRead() throws IOException {
        if (nextOffset >= log.logEndOffset()) {
            nextOffset = 0;
        }
        FetchDataInfo info = log.reader().read(nextOffset, FETCH_BYTES, Long.MAX_VALUE, true);
        FileRecords records = (FileRecords) info.records();
        buffer.clear();
        buffer.limit(records.sizeInBytes());
        records.readInto(buffer, 0);
        // what a consumer does next: walk the batch headers in memory to the next fetch offset
        long last = nextOffset;
        for (var batch : MemoryRecords.readableRecords(buffer).batches()) {
            last = batch.nextOffset();
        }
        nextOffset = last;
        return records.sizeInBytes();
    }

    @Benchmark
    public int fileChannelRead() throws IOException {
        if (nextPosition >= plainSize) {
            nextPosition = 0;
        }
        buffer.clear();
        buffer.limit(FETCH_BYTES);
        int read = 0;
        while (buffer.hasRemaining()) {
            int n = plain.read(buffer, nextPosition + read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        nextPosition += read;
        return read;
    }
}
