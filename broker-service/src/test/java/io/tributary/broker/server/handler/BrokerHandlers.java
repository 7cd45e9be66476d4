package io.tributary.broker.server.handler;

import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.fetch.FetchSessionCache;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * The broker's data-plane handlers for tests outside this package (which cannot name them), and
 * handing a handler a request as the request decoder would.
 */
public final class BrokerHandlers {

    private BrokerHandlers() {}

    /** A fetch session cache of the default size. */
    public static FetchSessionCache sessions() {
        return new FetchSessionCache(1000, FetchSessionCache.DEFAULT_EVICTION_AGE, Clock.systemUTC());
    }

    /** Produce, Fetch and OffsetsForLeaderEpoch over {@code replicaManager}: what a leader serves its followers. */
    public static ApiHandlerRegistry dataPlane(
            ClusterMetadataCache cache, ReplicaManager replicaManager, RequestHandlerPool pool) {
        return dataPlane(cache, replicaManager, pool, sessions());
    }

    /** As {@link #dataPlane(ClusterMetadataCache, ReplicaManager, RequestHandlerPool)}, with the fetch sessions given. */
    public static ApiHandlerRegistry dataPlane(
            ClusterMetadataCache cache,
            ReplicaManager replicaManager,
            RequestHandlerPool pool,
            FetchSessionCache sessions) {
        return ApiHandlerRegistry.builder()
                .register(new ProduceHandler(cache, replicaManager, pool))
                .register(new FetchHandler(cache, replicaManager, pool, sessions))
                .register(new OffsetsForLeaderEpochHandler(cache, replicaManager))
                .build();
    }

    /**
     * {@code request} as it leaves the request decoder: written at its version and parsed back, so
     * a field its version does not carry (a topic name from v13 of Fetch) is not there.
     */
    public static DecodedRequest decoded(AbstractRequest built) {
        AbstractRequest request =
                AbstractRequest.parseRequest(built.apiKey(), built.version(), built.serialize()).request;
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "test-client", 7);
        return new DecodedRequest(
                header,
                request.apiKey(),
                request.version(),
                request,
                "test-client",
                new InetSocketAddress("127.0.0.1", 40_000),
                "test-connection",
                100);
    }

    /** The response of a handler's outcome that is (or will be within 10 s) a response. */
    public static <T extends AbstractResponse> T response(CompletableFuture<HandlerResult> outcome, Class<T> type)
            throws Exception {
        HandlerResult result = outcome.get(10, TimeUnit.SECONDS);
        return type.cast(((HandlerResult.Respond) result).response());
    }

    public static Uuid kafkaTopicId(UUID topicId) {
        return TopicIds.toKafka(topicId);
    }
}
