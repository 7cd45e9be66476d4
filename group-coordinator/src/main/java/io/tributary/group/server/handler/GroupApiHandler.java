package io.tributary.group.server.handler;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The shape of every group API handler: take the parsed body's data, hand it to the
 * {@link GroupCoordinator} with a {@link RequestContext}, wrap the answer in its response
 * class at the request's version. Before the coordinator sees a request, the principal's ACLs are
 * checked as Kafka's broker checks them (the principal is the client's, which a broker's Envelope
 * carries, or the connection's own), so a coordinator reached directly or through a broker that
 * failed to check still refuses what the ACLs refuse. Never blocks the event loop: the coordinator answers with a
 * future, completed later for long-held JoinGroup and SyncGroup.
 *
 * @param <Q> the request class
 * @param <D> the request data
 * @param <R> the response data
 */
abstract class GroupApiHandler<Q extends AbstractRequest, D extends ApiMessage, R extends ApiMessage>
        implements ApiHandler {

    protected final GroupCoordinator coordinator;
    private Authorizer authorizer = Authorizer.allowAll();
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

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    final void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    final Authorizer authorizer() {
        return authorizer;
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
        try {
            authorize(request, data);
        } catch (ApiException refused) {
            return HandlerResult.completed(request.request().getErrorResponse(refused));
        }
        return callAuthorized(request, context, data)
                .thenApply(response -> HandlerResult.respond(wrap(response, request.apiVersion())));
    }

    /**
     * The checks that refuse the whole request, made before the coordinator sees it: none by
     * default (ListGroups and the APIs that check group by group filter in {@link #callAuthorized}).
     *
     * @throws ApiException the refusal the request is answered with, as Kafka would answer it
     */
    void authorize(DecodedRequest request, D data) {}

    /**
     * Asks the coordinator about a request {@link #authorize} let through; the APIs with
     * per-group or per-topic checks override it to leave out, and answer for, what the principal
     * may not touch.
     */
    CompletableFuture<R> callAuthorized(DecodedRequest request, RequestContext context, D data) {
        return call(context, data);
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
