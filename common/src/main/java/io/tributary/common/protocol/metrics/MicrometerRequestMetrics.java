package io.tributary.common.protocol.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.RequestMetrics;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;

/**
 * {@link RequestMetrics} as Micrometer meters named after Kafka's
 * {@code kafka.network:type=RequestMetrics}:
 * <ul>
 *   <li>{@value #TOTAL_TIME} (Timer, tag {@code request}): from the dispatcher taking a request
 *   to its response being written, Kafka's {@code TotalTimeMs}; its count is Kafka's
 *   {@code RequestsPerSec} (as a counter: Prometheus takes the rate).</li>
 *   <li>{@value #ERRORS} (Counter, tags {@code request}, {@code error}): the error codes of the
 *   responses, {@code NONE} included, Kafka's {@code ErrorsPerSec}.</li>
 * </ul>
 * The {@code request} tag is Kafka's request name ({@code ApiKeys.name}: {@code Produce},
 * {@code Metadata}, {@code JoinGroup}, ...), except that a Fetch is {@code FetchConsumer} or
 * {@code FetchFollower} (replica id ≥ 0), Kafka's names for the two, so that replication traffic
 * does not hide consumers' latency. Unlike Kafka, a Fetch is not counted a second time under
 * {@code Fetch}, so that summing over {@code request} counts each request once.
 *
 * <p>The timers have no client-side histogram or percentiles (a few adders per request); an
 * operator who wants latency quantiles enables Prometheus buckets for them through Spring Boot's
 * {@code management.metrics.distribution.percentiles-histogram.kafka.network.request=true}.
 *
 * <p>Hot path: meters sit in arrays indexed by {@code ApiKeys.ordinal()} (and the error's
 * ordinal), so recording costs no string or map lookup. The timers of the served APIs are built
 * up front; an error counter is built the first time its (request, error) pair occurs, so the
 * scrape shows only codes that happened. Building is idempotent in Micrometer, so two event
 * loops racing to build the same meter get the same one.
 *
 * <p>Thread-safe.
 */
public final class MicrometerRequestMetrics implements RequestMetrics {

    /** The timer of each request's total time. */
    public static final String TOTAL_TIME = "kafka.network.request.total.time";
    /** The counter of response error codes. */
    public static final String ERRORS = "kafka.network.request.errors";

    static final String FETCH_CONSUMER = ApiKeys.FETCH.name + "Consumer";
    static final String FETCH_FOLLOWER = ApiKeys.FETCH.name + "Follower";

    private static final ApiKeys[] KEYS = ApiKeys.values();
    /** Error counters per meter: one per code from -1 ({@code UNKNOWN_SERVER_ERROR}) to the highest known. */
    private static final int CODES = maxErrorCode() + 2;
    /** The meter index of a follower's Fetch; every other request's is its {@code ApiKeys.ordinal()}. */
    private static final int FETCH_FOLLOWER_INDEX = KEYS.length;

    private final MeterRegistry registry;
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(KEYS.length + 1);
    /** {@code [meterIndex * CODES + code + 1]}, built on first use. */
    private final AtomicReferenceArray<Counter> errors = new AtomicReferenceArray<>((KEYS.length + 1) * CODES);

    /**
     * @param registry where the meters go
     * @param apis     the APIs served, whose timers are built now (others on their first request)
     */
    public MicrometerRequestMetrics(MeterRegistry registry, Collection<ApiKeys> apis) {
        this.registry = registry;
        for (ApiKeys api : apis) {
            if (api == ApiKeys.FETCH) {
                timer(FETCH_FOLLOWER_INDEX);
            }
            timer(api.ordinal());
        }
    }

    /**
     * Counts what {@code response.errorCounts()} would, as Kafka does; but that builds a map per
     * response, so the two busiest APIs, Produce and Fetch, walk their partitions here instead,
     * adding each run of equal codes at once.
     */
    @Override
    public void responseErrors(DecodedRequest request, AbstractResponse response) {
        int meter = meterIndex(request);
        if (response instanceof ProduceResponse produce) {
            ErrorRun run = new ErrorRun(meter);
            for (ProduceResponseData.TopicProduceResponse topic : produce.data().responses()) {
                for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                    run.add(partition.errorCode());
                }
            }
            run.flush();
        } else if (response instanceof FetchResponse fetch) {
            ErrorRun run = new ErrorRun(meter);
            run.add(fetch.data().errorCode());
            for (FetchResponseData.FetchableTopicResponse topic : fetch.data().responses()) {
                for (FetchResponseData.PartitionData partition : topic.partitions()) {
                    run.add(partition.errorCode());
                }
            }
            run.flush();
        } else {
            for (Map.Entry<Errors, Integer> count : response.errorCounts().entrySet()) {
                errorCounter(meter, count.getKey().code()).increment(count.getValue());
            }
        }
    }

    /**
     * Consecutive equal error codes of one response, counted with one increment. Escape
     * analysis keeps it off the heap, as it never leaves {@link #responseErrors}
     * ({@code RequestMetricsBenchmark} measures 0 bytes allocated per request).
     */
    private final class ErrorRun {
        private final int meter;
        private short code;
        private int count;

        ErrorRun(int meter) {
            this.meter = meter;
        }

        void add(short errorCode) {
            if (count > 0 && errorCode != code) {
                flush();
            }
            code = errorCode;
            count++;
        }

        void flush() {
            if (count > 0) {
                errorCounter(meter, code).increment(count);
                count = 0;
            }
        }
    }

    @Override
    public void requestCompleted(DecodedRequest request, long totalNanos) {
        timer(meterIndex(request)).record(totalNanos, TimeUnit.NANOSECONDS);
    }

    private static int meterIndex(DecodedRequest request) {
        if (request.apiKey() == ApiKeys.FETCH
                && request.request() instanceof FetchRequest fetch
                && FetchRequest.replicaId(fetch.data()) >= 0) {
            return FETCH_FOLLOWER_INDEX;
        }
        return request.apiKey().ordinal();
    }

    private Timer timer(int meter) {
        Timer timer = timers.get(meter);
        if (timer == null) {
            timer = Timer.builder(TOTAL_TIME)
                    .description("Time from a Kafka request being read to its response being written")
                    .tag("request", requestName(meter))
                    .register(registry);
            timers.set(meter, timer);
        }
        return timer;
    }

    private Counter errorCounter(int meter, short code) {
        // a code this kafka-clients does not know is UNKNOWN_SERVER_ERROR to Errors.forCode too
        int slot = code + 1 >= 0 && code + 1 < CODES ? code + 1 : 0;
        int index = meter * CODES + slot;
        Counter counter = errors.get(index);
        if (counter == null) {
            Errors error = Errors.forCode(code);
            counter = Counter.builder(ERRORS)
                    .description("Error codes in Kafka responses, NONE included")
                    .tag("request", requestName(meter))
                    .tag("error", error.name())
                    .register(registry);
            errors.set(index, counter);
        }
        return counter;
    }

    private static int maxErrorCode() {
        int max = 0;
        for (Errors error : Errors.values()) {
            max = Math.max(max, error.code());
        }
        return max;
    }

    private static String requestName(int meter) {
        if (meter == FETCH_FOLLOWER_INDEX) {
            return FETCH_FOLLOWER;
        }
        ApiKeys api = KEYS[meter];
        return api == ApiKeys.FETCH ? FETCH_CONSUMER : api.name;
    }
}
