package io.tributary.microbenchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.RequestMetrics;
import io.tributary.common.protocol.metrics.MicrometerRequestMetrics;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the request metrics add to each request, as the dispatcher calls them: two
 * {@code System.nanoTime()} reads plus {@link RequestMetrics#responseErrors} and
 * {@link RequestMetrics#requestCompleted}, for {@code metrics} = {@code none}
 * ({@link RequestMetrics#NONE}, the baseline) or {@code prometheus} ({@link MicrometerRequestMetrics}
 * on a {@link PrometheusMeterRegistry}, as the services run it). One Produce of one partition and
 * one consumer Fetch answering ten partitions; the difference between the modes is the cost per
 * request. Run with {@code -t 2} to see two event loops recording into the same meters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestMetricsBenchmark {

    @Param({"none", "prometheus"})
    public String metrics;

    private RequestMetrics requestMetrics;
    private DecodedRequest produce;
    private AbstractResponse produceResponse;
    private DecodedRequest fetch;
    private AbstractResponse fetchResponse;

    @Setup
    public void setUp() {
        requestMetrics = metrics.equals("none")
                ? RequestMetrics.NONE
                : new MicrometerRequestMetrics(
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(ApiKeys.PRODUCE, ApiKeys.FETCH));
        short produceVersion = ApiKeys.PRODUCE.latestVersion();
        produce = decoded(
                new ProduceRequest.Builder(produceVersion, produceVersion, new ProduceRequestData().setAcks((short) 1))
                        .build(produceVersion));
        ProduceResponseData produced = new ProduceResponseData();
        produced.responses()
                .add(new ProduceResponseData.TopicProduceResponse()
                        .setName("t")
                        .setPartitionResponses(List.of(new ProduceResponseData.PartitionProduceResponse())));
        produceResponse = new ProduceResponse(produced);
        fetch = decoded(FetchRequest.Builder.forConsumer(ApiKeys.FETCH.latestVersion(), 500, 1, Map.of())
                .build());
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse().setTopic("t");
        for (int p = 0; p < 10; p++) {
            topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(p));
        }
        fetchResponse = FetchResponse.of(new FetchResponseData().setResponses(List.of(topic)));
    }

    @Benchmark
    public void produce() {
        record(produce, produceResponse);
    }

    @Benchmark
    public void fetch() {
        record(fetch, fetchResponse);
    }

    /** The timer alone, without the error counts. */
    @Benchmark
    public void produceTimeOnly() {
        long start = System.nanoTime();
        requestMetrics.requestCompleted(produce, System.nanoTime() - start);
    }

    private void record(DecodedRequest request, AbstractResponse response) {
        long start = System.nanoTime();
        requestMetrics.responseErrors(request, response);
        requestMetrics.requestCompleted(request, System.nanoTime() - start);
    }

    private static DecodedRequest decoded(AbstractRequest body) {
        RequestHeader header = new RequestHeader(body.apiKey(), body.version(), "bench", 1);
        return new DecodedRequest(
                header,
                body.apiKey(),
                body.version(),
                body,
                "bench",
                new InetSocketAddress("127.0.0.1", 1),
                "c-1",
                100);
    }
}
