package io.tributary.broker.group;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Node;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.protocol.client.KafkaProtocolClient;

/**
 * Relays group requests from this broker to the owning group-coordinator instance and carries
 * the answer back, asynchronously: a JoinGroup held for a whole rebalance never blocks the
 * connection's other requests' threads. A coordinator that cannot be reached turns into
 * {@code COORDINATOR_NOT_AVAILABLE}, which the clients retry after finding the coordinator again.
 */
public class GroupRelay implements AutoCloseable {

    /** Longer than the longest JoinGroup a consumer may be held in (max.poll.interval.ms, 5 min). */
    static final Duration RELAY_TIMEOUT = Duration.ofMinutes(6);

    private static final Logger log = LoggerFactory.getLogger(GroupRelay.class);

    private final GroupCoordinatorLocator locator;
    private final KafkaProtocolClient client;

    public GroupRelay(GroupCoordinatorLocator locator, KafkaProtocolClient client) {
        this.locator = locator;
        this.client = client;
    }

    public GroupCoordinatorLocator locator() {
        return locator;
    }

    /** Relays a request about one group, after checking that this broker coordinates it. */
    public CompletableFuture<HandlerResult> relayForGroup(DecodedRequest request, String groupId) {
        if (!locator.isLocal(groupId)) {
            return error(request, Errors.NOT_COORDINATOR);
        }
        return locator.owner(groupId).map(owner -> relay(request, owner))
                .orElseGet(() -> error(request, Errors.COORDINATOR_NOT_AVAILABLE));
    }

    /** Relays the request unchanged, at the client's version, to {@code owner}. */
    public CompletableFuture<HandlerResult> relay(DecodedRequest request, Node owner) {
        return client.relay(owner, request).handle((response, failure) -> {
            if (failure == null) {
                return HandlerResult.respond(response);
            }
            log.warn("Relaying {} to group coordinator {} failed: {}", request.describe(), owner, failure.getMessage());
            return HandlerResult.respond(request.request().getErrorResponse(0,
                    Errors.COORDINATOR_NOT_AVAILABLE.exception()));
        });
    }

    /**
     * Sends a request built here (a fan-out part) to {@code owner} at exactly {@code version}, the
     * client's, so that the parts of the answer fit the version the client reads.
     */
    public CompletableFuture<AbstractResponse> send(Node owner, AbstractRequest.Builder<?> request, short version) {
        return client.send(owner, new FixedVersionBuilder<>(request, version));
    }

    /** A builder pinned to one version. */
    private static final class FixedVersionBuilder<T extends AbstractRequest> extends AbstractRequest.Builder<T> {

        private final AbstractRequest.Builder<T> delegate;

        FixedVersionBuilder(AbstractRequest.Builder<T> delegate, short version) {
            super(delegate.apiKey(), version, version);
            this.delegate = delegate;
        }

        @Override
        public T build(short version) {
            return delegate.build(version);
        }
    }

    static CompletableFuture<HandlerResult> error(DecodedRequest request, Errors error) {
        return HandlerResult.completed(request.request().getErrorResponse(0, error.exception()));
    }

    @Override
    public void close() {
        client.close();
    }
}
