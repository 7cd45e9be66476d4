package io.tributary.common.protocol.client;

import io.tributary.common.protocol.DecodedRequest;
import java.io.Closeable;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.ChannelBuilder;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.EnvelopeRequest;
import org.apache.kafka.common.requests.EnvelopeResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An asynchronous Kafka-protocol client for service-to-service calls: a broker forwarding group
 * requests to the group-coordinator, topic admin requests to the controller, a replica fetcher.
 *
 * <p>It is a thin adapter over kafka-clients' own {@link NetworkClient} (the engine inside the
 * producer, consumer and AdminClient), so connection setup, ApiVersions negotiation, version
 * selection, pipelining, correlation and request time-outs are Kafka's, not ours. What this
 * class adds is a thread that drives the client and a {@code CompletableFuture} per request.
 *
 * <p>Destinations are {@link Node}s: connections are keyed by {@code node.idString()}, so give
 * every distinct endpoint its own id (a broker id, or an id the caller assigns to a
 * group-coordinator instance). A request fails fast, rather than waiting, when the node cannot
 * be connected to; callers map that to a retriable Kafka error for their own client.
 *
 * <p>Threading: {@link #send} and {@link #close} are thread-safe. The {@code NetworkClient} is
 * touched only by the client's single I/O thread, which also completes the futures: dependent
 * stages must not block (use the {@code *Async} variants for heavy work).
 */
public final class KafkaProtocolClient implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaProtocolClient.class);
    private static final long POLL_MS = 100;
    /** Kafka's own principal serde, as its brokers use in envelopes; needs no name mappers for that. */
    private static final DefaultKafkaPrincipalBuilder PRINCIPAL_SERDE = new DefaultKafkaPrincipalBuilder(null, null);

    private static final long WAITING_POLL_MS = 10;

    private final String clientId;
    private final long requestTimeoutMs;
    private final Time time = Time.SYSTEM;
    private final Metrics metrics = new Metrics(time);
    private final NetworkClient client;
    private final ConcurrentLinkedQueue<Outgoing> submitted = new ConcurrentLinkedQueue<>();
    private final Set<CompletableFuture<AbstractResponse>> outstanding = ConcurrentHashMap.newKeySet();
    private final Thread ioThread;
    private volatile boolean running = true;

    /** A request waiting for its connection to become ready. */
    private record Outgoing(
            Node node,
            AbstractRequest.Builder<?> request,
            CompletableFuture<AbstractResponse> future,
            long submittedMs) {}

    /**
     * Starts a client and its I/O thread.
     *
     * @param clientId       the client id the peers see in request headers and logs
     * @param requestTimeout how long a request may wait for a connection plus its response
     */
    public KafkaProtocolClient(String clientId, Duration requestTimeout) {
        this(clientId, requestTimeout, Map.of());
    }

    /**
     * Starts a client that connects with kafka-clients' security configs, e.g.
     * {@code security.protocol=SSL} and the {@code ssl.*} truststore (and keystore, for mutual
     * TLS) or the {@code sasl.*} keys: the same channel builders the producer and consumer use.
     *
     * @param securityConfigs {@code security.protocol}, {@code ssl.*} and {@code sasl.*} configs;
     *                        empty means PLAINTEXT
     * @throws org.apache.kafka.common.KafkaException if the configs are invalid (e.g. a missing
     *                                                truststore file)
     */
    public KafkaProtocolClient(String clientId, Duration requestTimeout, Map<String, ?> securityConfigs) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.requestTimeoutMs = requestTimeout.toMillis();
        LogContext logContext = new LogContext("[KafkaProtocolClient clientId=" + clientId + "] ");
        ChannelBuilder channelBuilder =
                ClientUtils.createChannelBuilder(new SecurityConfig(securityConfigs), time, logContext);
        Selector selector = new Selector(
                Duration.ofMinutes(9).toMillis(), metrics, time, "tributary-client", channelBuilder, logContext);
        this.client = new NetworkClient(
                selector,
                new ManualMetadataUpdater(),
                clientId,
                5, // in flight per connection, like the Java producer
                50,
                1_000, // reconnect back-off and its maximum, ms
                -1,
                -1, // socket buffers: OS defaults
                (int) requestTimeoutMs,
                10_000,
                30_000, // connection set-up time-out and its maximum, ms
                time,
                true /* negotiate versions with ApiVersions */,
                new ApiVersions(),
                logContext,
                MetadataRecoveryStrategy.NONE);
        this.ioThread = new Thread(this::run, "kafka-protocol-client-" + clientId);
        ioThread.setDaemon(true);
        ioThread.start();
    }

    /**
     * Sends a request built for the highest version both sides support.
     *
     * @return the response; fails with {@code UnsupportedVersionException} if the node does not
     *         serve the API in the builder's range, {@link NetworkException} if the node cannot be
     *         reached, {@link DisconnectException} if it disconnects before answering (or the
     *         client closes), {@link TimeoutException} after the request time-out
     */
    public CompletableFuture<AbstractResponse> send(Node node, AbstractRequest.Builder<?> request) {
        CompletableFuture<AbstractResponse> future = new CompletableFuture<>();
        if (!running) {
            future.completeExceptionally(new DisconnectException("KafkaProtocolClient " + clientId + " is closed"));
            return future;
        }
        outstanding.add(future);
        future.whenComplete((response, failure) -> outstanding.remove(future));
        submitted.add(new Outgoing(node, request, future, time.milliseconds()));
        client.wakeup();
        return future;
    }

    /**
     * Relays a request received by our server to {@code node} inside an Envelope (KIP-590), so
     * that the node serves it as the original client's: its client id, its address, its version.
     * The node must serve Envelope (advertise it in ApiVersions; a Tributary service opts in with
     * {@code ApiHandlerRegistry.Builder.unwrapEnvelopes()}).
     *
     * <p>The envelope carries the client's request re-serialised at the client's version under an
     * inner header with the client's API, version and client id and the client's correlation id
     * (so the node's logs match the client's), plus the client's IP address and principal. The
     * node's answer for the inner request comes back in the envelope's response data, header and
     * body at the inner version; it is parsed and returned, so written again at the same version
     * it is byte for byte what the node produced.
     *
     * @return the inner response; fails as {@link #send} does, with the Kafka exception of the
     *         envelope's error code if the node refused the envelope (e.g.
     *         {@code InvalidRequestException} for an API it does not serve that way,
     *         {@code UnsupportedVersionException} for an inner version it does not serve), or with
     *         {@link IllegalStateException} if the response data does not answer the inner request
     */
    public CompletableFuture<AbstractResponse> relayInEnvelope(Node node, DecodedRequest request) {
        InetAddress clientAddress = request.remoteAddress().getAddress();
        if (clientAddress == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "The client address of " + request.describe() + " is unresolved: " + request.remoteAddress()));
        }
        RequestHeader inner = new RequestHeader(
                request.apiKey(), request.apiVersion(), request.header().clientId(), request.correlationId());
        ByteBuffer requestData;
        try {
            requestData = request.request().serializeWithHeader(inner);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        // the client's principal rides along (KIP-590) so the receiver can authorise the inner request
        byte[] principal = PRINCIPAL_SERDE.serialize(request.principal());
        return send(node, new EnvelopeRequest.Builder(requestData, principal, clientAddress.getAddress()))
                .thenApply(response -> unwrap(inner, (EnvelopeResponse) response, node));
    }

    /** The inner response of {@code envelope}, which answers the request under {@code inner}. */
    static AbstractResponse unwrap(RequestHeader inner, EnvelopeResponse envelope, Node node) {
        ApiKeys apiKey = inner.apiKey();
        short version = inner.apiVersion();
        if (envelope.error() != Errors.NONE) {
            throw envelope.error()
                    .exception("Node " + node + " refused the envelope around " + apiKey + " v" + version + ": "
                            + envelope.error());
        }
        if (envelope.responseData() == null) {
            throw new IllegalStateException("Node " + node + " answered the envelope around " + apiKey + " v" + version
                    + " without response data");
        }
        ByteBuffer data = envelope.responseData().duplicate();
        ResponseHeader header = ResponseHeader.parse(data, apiKey.responseHeaderVersion(version));
        if (header.correlationId() != inner.correlationId()) {
            throw new IllegalStateException("Node " + node + " answered the envelope around " + apiKey + " v" + version
                    + " correlationId=" + inner.correlationId() + " for correlationId=" + header.correlationId());
        }
        AbstractResponse response = AbstractResponse.parseResponse(apiKey, new ByteBufferAccessor(data), version);
        if (data.hasRemaining()) {
            // they would be lost on the way to the client
            throw new IllegalStateException("Node " + node + " answered " + apiKey + " v" + version + " with "
                    + data.remaining() + " bytes more than the response holds");
        }
        return response;
    }

    /** Stops the I/O thread, fails outstanding requests and closes every connection. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        client.wakeup();
        try {
            ioThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DisconnectException closed = new DisconnectException("KafkaProtocolClient " + clientId + " closed");
        new ArrayList<>(outstanding).forEach(future -> future.completeExceptionally(closed));
        metrics.close();
    }

    private void run() {
        ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
        try {
            while (running) {
                for (Outgoing next; (next = submitted.poll()) != null; ) {
                    waiting.add(next);
                }
                long now = time.milliseconds();
                sendReady(waiting, now);
                // short polls while requests wait for a connection, so their time-outs are noticed promptly
                client.poll(waiting.isEmpty() ? POLL_MS : WAITING_POLL_MS, now);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("KafkaProtocolClient {} I/O thread failed; closing", clientId, e);
            running = false;
        } finally {
            DisconnectException closed = new DisconnectException("KafkaProtocolClient " + clientId + " closed");
            waiting.forEach(outgoing -> outgoing.future().completeExceptionally(closed));
            client.close();
        }
    }

    /** Sends what has a ready connection; fails what cannot get one. */
    private void sendReady(ArrayDeque<Outgoing> waiting, long now) {
        for (Iterator<Outgoing> it = waiting.iterator(); it.hasNext(); ) {
            Outgoing outgoing = it.next();
            if (outgoing.future().isDone()) {
                it.remove(); // cancelled by the caller
            } else if (client.ready(outgoing.node(), now)) {
                it.remove();
                ClientRequest request = client.newClientRequest(
                        outgoing.node().idString(),
                        outgoing.request(),
                        now,
                        true,
                        (int) requestTimeoutMs,
                        response -> complete(outgoing.future(), response));
                client.send(request, now);
            } else if (client.connectionFailed(outgoing.node())) {
                it.remove();
                // a refused TLS handshake or SASL login is not worth a retry: say so
                AuthenticationException refused = client.authenticationException(outgoing.node());
                outgoing.future()
                        .completeExceptionally(
                                refused != null
                                        ? refused
                                        : new NetworkException("Cannot connect to " + outgoing.node()));
            } else if (now - outgoing.submittedMs() > requestTimeoutMs) {
                it.remove();
                outgoing.future()
                        .completeExceptionally(new TimeoutException(
                                "No connection to " + outgoing.node() + " within " + requestTimeoutMs + " ms"));
            }
        }
    }

    private static void complete(CompletableFuture<AbstractResponse> future, ClientResponse response) {
        if (response.versionMismatch() != null) {
            future.completeExceptionally(response.versionMismatch());
        } else if (response.wasTimedOut()) {
            future.completeExceptionally(new TimeoutException("No response from node " + response.destination()));
        } else if (response.wasDisconnected()) {
            future.completeExceptionally(new DisconnectException("Disconnected from node " + response.destination()));
        } else if (response.authenticationException() != null) {
            future.completeExceptionally(response.authenticationException());
        } else {
            future.complete(response.responseBody());
        }
    }

    /** Just the client security configs, with kafka-clients' own definitions and defaults. */
    private static final class SecurityConfig extends AbstractConfig {

        private static final ConfigDef DEFINITION = new ConfigDef()
                .define(
                        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                        ConfigDef.Type.STRING,
                        CommonClientConfigs.DEFAULT_SECURITY_PROTOCOL,
                        ConfigDef.Importance.MEDIUM,
                        CommonClientConfigs.SECURITY_PROTOCOL_DOC)
                .withClientSslSupport()
                .withClientSaslSupport();

        SecurityConfig(Map<String, ?> configs) {
            super(DEFINITION, configs, false);
        }
    }
}
