package io.tributary.common.protocol;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * One Kafka request as it left the request decoder: the parsed header and body plus where it
 * came from. This is what an {@link ApiHandler} receives, whether the client sent it directly
 * or another service forwarded it inside an Envelope (see {@link EnvelopeHandler}).
 *
 * <p>Invariants: {@code request} was parsed from a private heap copy of the frame, so the
 * {@code *Data} objects stay valid for as long as the handler keeps them; the one exception is a
 * Produce request, whose records are read in place from the network buffer named by
 * {@code buffer}: a handler that uses them after {@code handle} returns must
 * {@link #retainBuffer() retain} the buffer first (see {@link RequestBuffer}).
 * {@code apiVersion} is the version the response will be serialised at: it equals
 * {@code header.apiVersion()} except for an ApiVersions request of a version this server does
 * not support, which is answered at v0 (KIP-511) and so carries {@code apiVersion == 0}.
 *
 * <p>Threading: immutable as far as this record goes; the parsed request body is a mutable
 * kafka-clients object that a handler should treat as read-only.
 *
 * @param header        the request header exactly as the client sent it
 * @param apiKey        the API, same as {@code header.apiKey()}
 * @param apiVersion    the version the body was parsed at and the response is written at
 * @param request       the parsed body (cast it, or use {@link #body(Class)})
 * @param clientId      the client id from the header, possibly empty, never {@code null}
 * @param remoteAddress the peer's address; for a request another service forwarded inside an
 *                      Envelope, the original client's address (port 0: the envelope has none)
 * @param connectionId  the server-unique id of the connection it arrived on (see
 *                      {@link ConnectionInfo}); for a forwarded request, the forwarder's
 * @param requestSize   the frame size in bytes, header included, size prefix excluded
 * @param principal     who sent it: {@code User:ANONYMOUS} on a PLAINTEXT listener, the SASL user
 *                      or the TLS client certificate's name once authenticated; for a forwarded
 *                      request, the original client's (the Envelope carries it)
 * @param buffer        the network buffer the body was parsed from in place, or
 *                      {@link RequestBuffer#NONE} when the body owns its memory
 */
public record DecodedRequest(
        RequestHeader header,
        ApiKeys apiKey,
        short apiVersion,
        AbstractRequest request,
        String clientId,
        InetSocketAddress remoteAddress,
        String connectionId,
        int requestSize,
        KafkaPrincipal principal,
        RequestBuffer buffer) {

    public DecodedRequest {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(connectionId, "connectionId");
        clientId = clientId == null ? "" : clientId;
        principal = principal == null ? KafkaPrincipal.ANONYMOUS : principal;
        buffer = buffer == null ? RequestBuffer.NONE : buffer;
    }

    /** A request whose body owns its memory (a heap copy, or built in memory). */
    public DecodedRequest(
            RequestHeader header,
            ApiKeys apiKey,
            short apiVersion,
            AbstractRequest request,
            String clientId,
            InetSocketAddress remoteAddress,
            String connectionId,
            int requestSize,
            KafkaPrincipal principal) {
        this(
                header,
                apiKey,
                apiVersion,
                request,
                clientId,
                remoteAddress,
                connectionId,
                requestSize,
                principal,
                RequestBuffer.NONE);
    }

    /** A request from an anonymous client (a PLAINTEXT listener, or not yet authenticated). */
    public DecodedRequest(
            RequestHeader header,
            ApiKeys apiKey,
            short apiVersion,
            AbstractRequest request,
            String clientId,
            InetSocketAddress remoteAddress,
            String connectionId,
            int requestSize) {
        this(
                header,
                apiKey,
                apiVersion,
                request,
                clientId,
                remoteAddress,
                connectionId,
                requestSize,
                KafkaPrincipal.ANONYMOUS);
    }

    /** The same request, sent by {@code authenticated}. */
    public DecodedRequest withPrincipal(KafkaPrincipal authenticated) {
        return new DecodedRequest(
                header,
                apiKey,
                apiVersion,
                request,
                clientId,
                remoteAddress,
                connectionId,
                requestSize,
                authenticated,
                buffer);
    }

    /**
     * The same request from the same client with another body of the same API and version (a
     * part of it that a forwarder builds, say).
     *
     * @throws IllegalArgumentException if {@code body} is of another API or version
     */
    public DecodedRequest withBody(AbstractRequest body) {
        if (body.apiKey() != apiKey || body.version() != apiVersion) {
            throw new IllegalArgumentException(
                    "A " + body.apiKey() + " v" + body.version() + " body for " + describe());
        }
        // a part of the body may still refer to the network buffer, so the buffer goes along
        return new DecodedRequest(
                header,
                apiKey,
                apiVersion,
                body,
                clientId,
                remoteAddress,
                connectionId,
                requestSize,
                principal,
                buffer);
    }

    /** Keeps the network buffer the body refers to alive for a use after {@code handle} returns. */
    public void retainBuffer() {
        buffer.retain();
    }

    /** Ends a use begun with {@link #retainBuffer()}. */
    public void releaseBuffer() {
        buffer.release();
    }

    /** The correlation id the response must echo. */
    public int correlationId() {
        return header.correlationId();
    }

    /** The body as its concrete kafka-clients type, e.g. {@code body(MetadataRequest.class)}. */
    public <T extends AbstractRequest> T body(Class<T> type) {
        return type.cast(request);
    }

    /**
     * Whether the client waits for a response. Only a Produce request with {@code acks=0}
     * does not: the client never registers it as in flight, so any answer (even an error)
     * would arrive with a correlation id it does not expect and make it drop the connection.
     */
    public boolean expectsResponse() {
        return !(request instanceof ProduceRequest produce && produce.acks() == 0);
    }

    /** A short description for logs: API, version, correlation id, client and connection. */
    public String describe() {
        return apiKey + " v" + apiVersion + " correlationId=" + correlationId() + " clientId=" + clientId
                + " connection=" + connectionId + " principal=" + principal;
    }
}
