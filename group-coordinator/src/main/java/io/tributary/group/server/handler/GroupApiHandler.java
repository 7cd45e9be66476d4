package io.tributary.group.server.handler;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * The shape of every group API handler: take the parsed body's data, hand it to the
 * {@link GroupCoordinator} with a {@link RequestContext}, wrap the answer in its response
 * class at the request's version. Never blocks the event loop: the coordinator answers with a
 * future, completed later for long-held JoinGroup and SyncGroup.
 *
 * @param <Q> the request class
 * @param <D> the request data
 * @param <R> the response data
 */
abstract class GroupApiHandler<Q extends AbstractRequest, D extends ApiMessage, R extends ApiMessage>
        implements ApiHandler {

    protected final GroupCoordinator coordinator;
    private final ApiKeys apiKey;
    private final Class<Q> requestType;
    private final short maxVersion;

    GroupApiHandler(GroupCoordinator coordinator, ApiKeys apiKey, Class<Q> requestType, int maxVersion) {
        this.coordinator = coordinator;
        this.apiKey = apiKey;
        this.requestType = requestType;
        this.maxVersion = (short) Math.min(maxVersion, apiKey.latestVersion(false));
    }

    GroupApiHandler(GroupCoordinator coordinator, ApiKeys apiKey, Class<Q> requestType) {
        this(coordinator, apiKey, requestType, Short.MAX_VALUE);
    }

    @Override
    public final ApiKeys apiKey() {
        return apiKey;
    }

    @Override
    public final short minVersion() {
        return apiKey.oldestVersion();
    }

    @Override
    public final short maxVersion() {
        return maxVersion;
    }

    @Override
    public final CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        RequestContext context =
                new RequestContext(request.clientId(), host(request.remoteAddress()), request.apiVersion());
        @SuppressWarnings("unchecked")
        D data = (D) request.body(requestType).data();
        return call(context, data).thenApply(response -> HandlerResult.respond(wrap(response, request.apiVersion())));
    }

    /** Kafka shows a client's host as {@code /address}. */
    private static String host(InetSocketAddress address) {
        return "/" + (address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString());
    }

    /** Asks the coordinator. */
    abstract CompletableFuture<R> call(RequestContext context, D data);

    /** The response class around the data, for {@code version}. */
    abstract AbstractResponse wrap(R data, short version);
}
