package io.tributary.broker.group;

import io.tributary.common.protocol.ConnectionInfo;
import io.tributary.common.protocol.ConnectionListener;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays group requests from this broker to the owning group-coordinator instance and carries
 * the answer back, asynchronously. Each client request travels inside an Envelope (KIP-590, as a
 * Kafka broker forwards to its controller): the client's header and body at the client's version
 * plus the client's address, so the coordinator serves it as the client's own — member ids made
 * from the consumer's client id, DescribeGroups showing the consumer's client id and host, the
 * consumer's correlation id in its logs — and the answer, unwrapped, is returned to the client at
 * that version exactly as the coordinator wrote it.
 *
 * <p>Each client connection is mirrored by a connection of its own to the coordinator: answers
 * come back in request order per connection, so one shared connection would hold every member's
 * heartbeats behind one member's JoinGroup, which the coordinator parks for the whole rebalance.
 * Mirrored, a held request delays only its own client, exactly as if the client were connected to
 * the coordinator. A coordinator that cannot be reached, or refuses the envelope (one that does
 * not serve Envelope, say), turns into {@code COORDINATOR_NOT_AVAILABLE}, which clients retry
 * after finding the coordinator again. Idle mirrors close after the client's 9-minute idle limit.
 *
 * <p>The per-instance parts of DescribeGroups, ConsumerGroupDescribe, DeleteGroups and ListGroups,
 * which this broker builds from the client's request ({@link #sendOnBehalf}), travel in envelopes
 * too, so the coordinator checks them as the client's. Only what the broker asks as itself (the
 * transaction markers, {@link #send}) goes without one.
 */
public class GroupRelay implements ConnectionListener, AutoCloseable {

    /** Longer than the longest JoinGroup a consumer may be held in (max.poll.interval.ms, 5 min). */
    static final Duration RELAY_TIMEOUT = Duration.ofMinutes(6);

    private static final Logger log = LoggerFactory.getLogger(GroupRelay.class);

    private final GroupCoordinatorLocator locator;
    private final KafkaProtocolClient client;
    private final Map<String, Node> mirrors = new ConcurrentHashMap<>();
    private final AtomicInteger nextMirrorId = new AtomicInteger(Integer.MAX_VALUE / 2);

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
        return locator.owner(groupId)
                .map(owner -> relay(request, owner))
                .orElseGet(() -> error(request, Errors.COORDINATOR_NOT_AVAILABLE));
    }

    /** Relays the request in an envelope, unchanged and at the client's version, to {@code owner}. */
    public CompletableFuture<HandlerResult> relay(DecodedRequest request, Node owner) {
        Node mirror = mirrors.computeIfAbsent(
                request.connectionId() + "->" + owner.host() + ":" + owner.port(),
                key -> new Node(nextMirrorId.getAndIncrement(), owner.host(), owner.port()));
        return client.relayInEnvelope(mirror, request).handle((response, failure) -> {
            if (failure == null) {
                return HandlerResult.respond(response);
            }
            log.warn("Relaying {} to group coordinator {} failed: {}", request.describe(), owner, failure.getMessage());
            return HandlerResult.respond(
                    request.request().getErrorResponse(0, Errors.COORDINATOR_NOT_AVAILABLE.exception()));
        });
    }

    @Override
    public void connectionClosed(ConnectionInfo connection) {
        mirrors.keySet().removeIf(key -> key.startsWith(connection.connectionId() + "->"));
    }

    /**
     * Sends a part of {@code client}'s request built here (a fan-out part) to {@code owner} in an
     * envelope, as the client's own (its principal, address and client id) and at exactly the
     * client's version, so that the parts of the answer fit the version the client reads.
     */
    public CompletableFuture<AbstractResponse> sendOnBehalf(
            DecodedRequest client, Node owner, AbstractRequest.Builder<?> part) {
        AbstractRequest request;
        try {
            request = part.build(client.apiVersion());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return this.client.relayInEnvelope(owner, client.withBody(request));
    }

    /** Sends a request of this broker's own to {@code owner} at exactly {@code version}. */
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
