package io.tributary.common.protocol.metrics;

import static io.tributary.common.protocol.metrics.MicrometerRequestMetrics.ERRORS;
import static io.tributary.common.protocol.metrics.MicrometerRequestMetrics.TOTAL_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.common.protocol.DecodedRequest;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

class MicrometerRequestMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void shouldBuildATimerPerServedApiUpFrontWithFetchSplitIntoConsumerAndFollower() {
        new MicrometerRequestMetrics(registry, Set.of(ApiKeys.PRODUCE, ApiKeys.FETCH));

        assertThat(registry.find(TOTAL_TIME).timers())
                .extracting(timer -> timer.getId().getTag("request"))
                .containsExactlyInAnyOrder("Produce", "FetchConsumer", "FetchFollower");
        assertThat(registry.find(TOTAL_TIME).timers())
                .allSatisfy(timer -> assertThat(timer.count()).isZero());
    }

    @Test
    void shouldTimeAFollowersFetchApartFromAConsumers() {
        MicrometerRequestMetrics metrics = new MicrometerRequestMetrics(registry, Set.of(ApiKeys.FETCH));

        metrics.requestCompleted(
                fetch(FetchRequest.Builder.forReplica(ApiKeys.FETCH.latestVersion(), 2, 5L, 500, 1, Map.of())),
                3_000_000);
        metrics.requestCompleted(
                fetch(FetchRequest.Builder.forConsumer(ApiKeys.FETCH.latestVersion(), 500, 1, Map.of())), 7_000_000);
        metrics.requestCompleted(
                fetch(FetchRequest.Builder.forConsumer(ApiKeys.FETCH.latestVersion(), 500, 1, Map.of())), 9_000_000);

        assertThat(timer("FetchFollower").count()).isEqualTo(1);
        assertThat(timer("FetchFollower").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3.0);
        assertThat(timer("FetchConsumer").count()).isEqualTo(2);
        assertThat(timer("FetchConsumer").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(16.0);
    }

    @Test
    void shouldTimeAnApiThatWasNotDeclaredOnItsFirstRequest() {
        MicrometerRequestMetrics metrics = new MicrometerRequestMetrics(registry, Set.of());

        metrics.requestCompleted(request(MetadataRequest.Builder.allTopics()), 1_000);

        assertThat(timer("Metadata").count()).isEqualTo(1);
    }

    @Test
    void shouldCountEachErrorCodeOfAResponsePerPartitionNoneIncluded() {
        MicrometerRequestMetrics metrics = new MicrometerRequestMetrics(registry, Set.of(ApiKeys.METADATA));
        DecodedRequest request = request(MetadataRequest.Builder.allTopics());
        ProduceResponseData data = new ProduceResponseData();
        data.responses()
                .add(new ProduceResponseData.TopicProduceResponse()
                        .setName("t")
                        .setPartitionResponses(List.of(
                                partition(0, Errors.NONE),
                                partition(1, Errors.NOT_LEADER_OR_FOLLOWER),
                                partition(2, Errors.NOT_LEADER_OR_FOLLOWER))));

        // the request tag comes from the request: a Metadata request stands in for any
        metrics.responseErrors(request, new ProduceResponse(data));
        metrics.responseErrors(request, new ProduceResponse(data));

        assertThat(errors("Metadata", Errors.NOT_LEADER_OR_FOLLOWER)).isEqualTo(4.0);
        assertThat(errors("Metadata", Errors.NONE)).isEqualTo(2.0);
        assertThat(registry.find(ERRORS).counters()).hasSize(2);
    }

    @Test
    void shouldCountProduceAndFetchErrorsExactlyAsTheirErrorCountsDo() {
        MicrometerRequestMetrics metrics = new MicrometerRequestMetrics(registry, Set.of());
        DecodedRequest produce = request(new ProduceRequest.Builder(
                ApiKeys.PRODUCE.latestVersion(),
                ApiKeys.PRODUCE.latestVersion(),
                new ProduceRequestData().setAcks((short) 1)));
        ProduceResponseData produced = new ProduceResponseData();
        for (String topic : List.of("a", "b")) {
            produced.responses()
                    .add(new ProduceResponseData.TopicProduceResponse()
                            .setName(topic)
                            .setPartitionResponses(List.of(
                                    partition(0, Errors.NONE),
                                    partition(1, Errors.NOT_LEADER_OR_FOLLOWER),
                                    partition(2, Errors.NONE))));
        }
        DecodedRequest fetch =
                request(FetchRequest.Builder.forConsumer(ApiKeys.FETCH.latestVersion(), 500, 1, Map.of()));
        FetchResponseData.FetchableTopicResponse fetched = new FetchResponseData.FetchableTopicResponse().setTopic("a");
        for (Errors error : List.of(Errors.NONE, Errors.OFFSET_OUT_OF_RANGE, Errors.OFFSET_OUT_OF_RANGE, Errors.NONE)) {
            fetched.partitions().add(new FetchResponseData.PartitionData().setErrorCode(error.code()));
        }
        FetchResponse fetchResponse = FetchResponse.of(new FetchResponseData().setResponses(List.of(fetched)));

        metrics.responseErrors(produce, new ProduceResponse(produced));
        metrics.responseErrors(fetch, fetchResponse);

        assertThat(errorsOf("Produce")).isEqualTo(new ProduceResponse(produced).errorCounts());
        assertThat(errorsOf("FetchConsumer")).isEqualTo(fetchResponse.errorCounts());
    }

    @Test
    void shouldCountAnErrorCodeThisClientDoesNotKnowAsUnknownServerError() {
        MicrometerRequestMetrics metrics = new MicrometerRequestMetrics(registry, Set.of());
        ProduceResponseData data = new ProduceResponseData();
        data.responses()
                .add(new ProduceResponseData.TopicProduceResponse()
                        .setName("t")
                        .setPartitionResponses(List.of(
                                new ProduceResponseData.PartitionProduceResponse().setErrorCode((short) 32000))));

        metrics.responseErrors(request(MetadataRequest.Builder.allTopics()), new ProduceResponse(data));

        assertThat(errors("Metadata", Errors.UNKNOWN_SERVER_ERROR)).isEqualTo(1.0);
    }

    private Map<Errors, Integer> errorsOf(String request) {
        return registry.find(ERRORS).tag("request", request).counters().stream()
                .collect(Collectors.toMap(
                        counter -> Errors.valueOf(counter.getId().getTag("error")), counter -> (int) counter.count()));
    }

    private static ProduceResponseData.PartitionProduceResponse partition(int index, Errors error) {
        return new ProduceResponseData.PartitionProduceResponse()
                .setIndex(index)
                .setErrorCode(error.code());
    }

    private io.micrometer.core.instrument.Timer timer(String request) {
        return registry.get(TOTAL_TIME).tag("request", request).timer();
    }

    private double errors(String request, Errors error) {
        return registry.get(ERRORS)
                .tags("request", request, "error", error.name())
                .counter()
                .count();
    }

    private static DecodedRequest fetch(FetchRequest.Builder builder) {
        return request(builder);
    }

    private static DecodedRequest request(AbstractRequest.Builder<?> builder) {
        AbstractRequest body = builder.build();
        RequestHeader header = new RequestHeader(body.apiKey(), body.version(), "client", 1);
        return new DecodedRequest(
                header,
                body.apiKey(),
                body.version(),
                body,
                "client",
                new InetSocketAddress("127.0.0.1", 1),
                "c-1",
                10);
    }
}
