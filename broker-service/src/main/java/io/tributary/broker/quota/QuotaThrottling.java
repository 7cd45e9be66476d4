package io.tributary.broker.quota;

import io.tributary.broker.server.HandlerDecorator;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * Enforces the client quotas around the handlers, as Kafka does (KIP-219): once a request is
 * handled, it is charged to the client's quotas ({@link ClientQuotaManager}) and, over one, the
 * response carries the longest throttle time. The response still goes out at once; the server then
 * reads nothing more from that connection for the throttle time, and kafka-clients also hold back
 * on their own.
 *
 * <ul>
 *   <li>{@code producer_byte_rate}: a Produce request's size; {@code consumer_byte_rate}: the
 *       records of a consumer's Fetch response.
 *   <li>{@code request_percentage}: the time the request took on the event loop in its handler
 *       plus the run time of the tasks the handler submitted to the {@link RequestHandlerPool}
 *       while it was called (Kafka's network and request-handler thread time). Time spent waiting
 *       (a long poll, replication for {@code acks=all}) is not charged. Every API is charged but
 *       ApiVersions and the SASL exchange, which Kafka exempts too.
 *   <li>A follower's fetch (replica id ≥ 0) is never charged: client quotas never slow replication.
 * </ul>
 *
 * <p>Unlike Kafka, a throttled Fetch response keeps its records (Kafka drops them and uncharges
 * them), so a consumer may run one response ahead of its quota; an {@code acks=0} Produce is
 * charged but, having no response, is not throttled.
 *
 * <p>Thread-safe; the charge runs on whichever thread completes the handler's future.
 */
final class QuotaThrottling implements HandlerDecorator {

    private static final Set<ApiKeys> EXEMPT =
            Set.of(ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE, ApiKeys.SASL_AUTHENTICATE);
    /** Kafka's {@code NanosToPercentagePerSecond}: a second of one thread is 100 %. */
    private static final double PERCENT_PER_NANO = 100.0 / TimeUnit.SECONDS.toNanos(1);

    private final ClientQuotaManager quotas;

    QuotaThrottling(ClientQuotaManager quotas) {
        this.quotas = quotas;
    }

    @Override
    public ApiHandler decorate(ApiHandler handler) {
        return EXEMPT.contains(handler.apiKey()) ? handler : new Throttled(handler, quotas);
    }

    /** A handler whose responses carry the throttle time of the client's quotas. */
    private record Throttled(ApiHandler delegate, ClientQuotaManager quotas) implements ApiHandler {

        @Override
        public ApiKeys apiKey() {
            return delegate.apiKey();
        }

        @Override
        public short minVersion() {
            return delegate.minVersion();
        }

        @Override
        public short maxVersion() {
            return delegate.maxVersion();
        }

        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            if (request.apiKey() == ApiKeys.FETCH
                    && FetchRequest.replicaId(request.body(FetchRequest.class).data()) >= 0) {
                return delegate.handle(request);
            }
            LongAdder nanos = new LongAdder();
            long start = System.nanoTime();
            CompletableFuture<HandlerResult> handled =
                    RequestHandlerPool.tracking(nanos, () -> delegate.handle(request));
            nanos.add(System.nanoTime() - start);
            CompletableFuture<HandlerResult> charged =
                    handled.thenApply(result -> charge(request, result, nanos.sum()));
            // the server cancels the future it holds when the connection closes: pass that on, so a
            // parked request notices and releases what it holds
            charged.whenComplete((result, failure) -> {
                if (charged.isCancelled()) {
                    handled.cancel(false);
                }
            });
            return charged;
        }

        private HandlerResult charge(DecodedRequest request, HandlerResult result, long nanos) {
            String user = request.principal().getName();
            String clientId = request.clientId();
            int throttleMs = quotas.record(QuotaType.REQUEST, user, clientId, nanos * PERCENT_PER_NANO);
            if (request.apiKey() == ApiKeys.PRODUCE) {
                throttleMs =
                        Math.max(throttleMs, quotas.record(QuotaType.PRODUCE, user, clientId, request.requestSize()));
            } else if (result instanceof HandlerResult.Respond respond
                    && respond.response() instanceof FetchResponse fetch) {
                throttleMs =
                        Math.max(throttleMs, quotas.record(QuotaType.FETCH, user, clientId, recordBytes(fetch.data())));
            }
            if (throttleMs > 0 && result instanceof HandlerResult.Respond respond) {
                AbstractResponse response = respond.response();
                response.maybeSetThrottleTimeMs(Math.max(throttleMs, response.throttleTimeMs()));
            }
            return result;
        }

        private static long recordBytes(FetchResponseData data) {
            long bytes = 0;
            for (FetchResponseData.FetchableTopicResponse topic : data.responses()) {
                for (FetchResponseData.PartitionData partition : topic.partitions()) {
                    bytes += partition.records() == null
                            ? 0
                            : partition.records().sizeInBytes();
                }
            }
            return bytes;
        }
    }
}
