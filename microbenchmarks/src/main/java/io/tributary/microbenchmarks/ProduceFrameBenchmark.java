package io.tributary.microbenchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.ConnectionInfo;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.protocol.RequestBuffer;
import io.tributary.common.protocol.internal.network.RequestParser;
import io.tributary.storage.log.LogAppendInfo;
import io.tributary.storage.log.PartitionLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
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
 * A Produce frame from the network buffer to the log, as the broker takes it: parse the frame
 * ({@link RequestParser}), then {@link PartitionLog#appendAsLeader} its one ~16 KiB batch of
 * 1 KiB records. The frame sits in a pooled direct buffer, where Netty reads it. {@code decode}:
 * {@code copy} copies the frame to the heap first (what every request but Produce gets, and what
 * Produce got before it was parsed in place), {@code inPlace} parses it where it is (what
 * {@code KafkaRequestDecoder} does for Produce). The difference is the allocation and the two
 * copies that parsing in place saves: into the heap here, and back into the JDK's temporary
 * direct buffer when the log writes heap bytes to its file.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProduceFrameBenchmark {

    @Param({"copy", "inPlace"})
    public String decode;

    @Param({"1024"})
    public int recordSize;

    private ByteBuf frame;
    private RequestParser parser;
    private ConnectionInfo connection;
    private java.nio.file.Path dir;
    private ScheduledExecutorService scheduler;
    private PartitionLog log;

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        parser = new RequestParser(
                ApiHandlerRegistry.builder().register(new ProduceOnly()).build());
        connection = new ConnectionInfo(
                "bench-1", new InetSocketAddress("127.0.0.1", 50000), new InetSocketAddress("127.0.0.1", 9092));
        frame = PooledByteBufAllocator.DEFAULT.directBuffer();
        frame.writeBytes(produceFrame(BenchData.batch(recordSize, System.currentTimeMillis())));
        dir = BenchData.scratchDir("produce-frame-bench");
        scheduler = Executors.newScheduledThreadPool(2);
        log = BenchData.appendOnlyLog(dir, 128 << 20, 4, scheduler);
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws IOException, InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(30, TimeUnit.SECONDS);
        log.close();
        frame.release();
        BenchData.deleteRecursively(dir);
    }

    @Benchmark
    public LogAppendInfo frameToLog() {
        DecodedRequest request = decode.equals("inPlace")
                ? parser.parse(frame.nioBuffer(), connection, RequestBuffer.NONE)
                : parser.parse(heapCopy(frame), connection);
        MemoryRecords records = (MemoryRecords) request.body(ProduceRequest.class)
                .data()
                .topicData()
                .iterator()
                .next()
                .partitionData()
                .get(0)
                .records();
        return log.appendAsLeader(records, 0);
    }

    private static ByteBuffer heapCopy(ByteBuf frame) {
        ByteBuffer copy = ByteBuffer.allocate(frame.readableBytes());
        frame.getBytes(frame.readerIndex(), copy);
        return copy.flip();
    }

    /** Header and body of a one-partition Produce, as a producer frames it (without the size prefix). */
    private static ByteBuffer produceFrame(MemoryRecords batch) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData()
                .setName("bench")
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(batch))));
        short version = ApiKeys.PRODUCE.latestVersion();
        ProduceRequest request = new ProduceRequest.Builder(
                        version,
                        version,
                        new ProduceRequestData()
                                .setAcks((short) 1)
                                .setTimeoutMs(30_000)
                                .setTopicData(topics))
                .build(version);
        return request.serializeWithHeader(new RequestHeader(ApiKeys.PRODUCE, version, "bench-producer", 1));
    }

    /** The registry must serve Produce for the parser to read its body; nothing calls the handler. */
    private static final class ProduceOnly implements ApiHandler {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.PRODUCE;
        }

        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            throw new UnsupportedOperationException("not called");
        }
    }
}
