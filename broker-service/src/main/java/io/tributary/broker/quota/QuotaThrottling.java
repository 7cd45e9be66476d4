package io.tributary.broker.quota;

import io.tributary.broker.server.HandlerDecorator;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * Enforces the byte-rate quotas around the Produce and Fetch handlers, as Kafka does (KIP-219):
 * once a request is handled, its bytes are charged to the client's quota ({@link ClientQuotaManager})
 * — a Produce request's size, a Fetch response's records — and, over the quota, the response
 * carries the throttle time. The response still goes out at once; the server then reads nothing
 * more from that connection for the throttle time, and kafka-clients also hold back on their own.
 * A follower's fetch (replica id ≥ 0) is never charged: client quotas never slow replication.
 *
 * <p>Unlike Kafka, a throttled Fetch response keeps its records (Kafka drops them and uncharges
 * them), so a consumer may run one response ahead of its quota; an {@code acks=0} Produce is
 * charged but, having no response, is not throttled.
 *
 * <p>Thread-safe; the charge runs on whichever thread completes the handler's future.
 */
final class QuotaThrottling implements HandlerDecorator {

    private final ClientQuotaManager quotas;

    QuotaThrottling(ClientQuotaManager quotas) {
        this.quotas = quotas;
    }

    @Override
    public ApiHandler decorate(ApiHandler handler) {
        return switch (handler.apiKey()) {
            case PRODUCE, FETCH -> new Throttled(handler, quotas);
            default -> handler;
        };
    }

    /** A handler whose responses carry the throttle time of its byte-rate quota. */
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
            return delegate.handle(request).thenApply(result -> charge(request, result));
        }

        private HandlerResult charge(DecodedRequest request, HandlerResult result) {
            String user = request.principal().getName();
            if (request.apiKey() == ApiKeys.PRODUCE) {
                int throttleMs = quotas.record(QuotaType.PRODUCE, user, request.clientId(), request.requestSize());
                throttle(result, throttleMs);
            } else if (result instanceof HandlerResult.Respond respond
                    && respond.response() instanceof FetchResponse fetch) {
                int throttleMs = quotas.record(QuotaType.FETCH, user, request.clientId(), recordBytes(fetch.data()));
                throttle(result, throttleMs);
            }
            return result;
        }

        private static void throttle(HandlerResult result, int throttleMs) {
            if (throttleMs > 0 && result instanceof HandlerResult.Respond respond) {
                AbstractResponse response = respond.response();
                response.maybeSetThrottleTimeMs(Math.max(throttleMs, response.throttleTimeMs()));
            }
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
