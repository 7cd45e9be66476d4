package io.tributary.common.protocol;

import io.tributary.common.protocol.HandlerResult.CloseConnection;
import io.tributary.common.protocol.HandlerResult.Respond;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.EnvelopeRequest;
import org.apache.kafka.common.requests.EnvelopeResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Envelope (key 58, KIP-590): a request that another service forwards on behalf of one
 * of its clients, so that the handlers here see that client rather than the forwarder. A service
 * opts in with {@link ApiHandlerRegistry.Builder#unwrapEnvelopes()}; only then is Envelope
 * registered and advertised (a broker must never accept one from its clients).
 *
 * <p>Bytes: the envelope's {@code request_data} is the client's request exactly as a client
 * frames it, without the size prefix: request header (the client's API, version, correlation
 * id and client id), then the body at that version. {@code client_host_address} is the
 * client's IP address, 4 or 16 bytes. {@code request_principal} is the client's principal
 * (Kafka's {@code DefaultKafkaPrincipalBuilder} serde; none means {@code User:ANONYMOUS}), which
 * the inner request carries, so the handlers authorize it as the client's own. Since a forwarder
 * names that principal, the service may accept envelopes only from trusted senders (see
 * {@link ApiHandlerRegistry.Builder#unwrapEnvelopes(java.util.function.Predicate)}): another
 * sender's envelope is refused {@code CLUSTER_AUTHORIZATION_FAILED}. The answer's {@code response_data} is the inner response as the
 * client would read it, again without the size prefix: response header (the inner correlation
 * id; header version of the inner API and version) then the body at the inner version.
 *
 * <p>Unwrapping: the inner header and body are parsed with kafka-clients' own parsers into a
 * {@link DecodedRequest} whose header, API, version and client id are the inner ones, whose
 * {@code remoteAddress} is the client's address (port 0: the envelope does not carry it) and
 * whose {@code connectionId} is the real connection's, the forwarder's. That request goes to the
 * handler registered for the inner API, which cannot tell it from one sent directly.
 *
 * <p>Errors, as Kafka's broker sorts them: what makes the envelope itself unservable is the
 * envelope's own error code, with no {@code response_data} — {@code INVALID_REQUEST} for an
 * inner API that is not served here (including a nested Envelope and ApiVersions, which belongs
 * to the forwarder's own connection), an inner request that expects no response (a Produce
 * with {@code acks=0}: an envelope is always answered) or a malformed client address;
 * {@code UNSUPPORTED_VERSION} for an inner header or body that cannot be parsed or a version the
 * inner API's handler does not serve. A handler's failure is the inner API's own error response
 * inside a successful envelope, through the {@link ErrorMapper}, exactly as the client would
 * have got it directly. A {@link HandlerResult#closeConnection} from the inner handler closes
 * the forwarder's connection.
 *
 * <p>Threading: like any handler, {@link #handle} runs on the event loop and never blocks; the
 * inner handler's future may complete on any thread, where the inner response is serialised.
 * When the connection closes the server cancels the envelope's future, and this handler passes
 * the cancellation on to the inner handler's future, so a parked request is released. Stateless
 * apart from the registry; thread-safe.
 */
public final class EnvelopeHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeHandler.class);
    private static final DefaultKafkaPrincipalBuilder PRINCIPAL_SERDE = new DefaultKafkaPrincipalBuilder(null, null);

    private final ApiHandlerRegistry registry;
    private final Predicate<DecodedRequest> mayForward;
    private final ErrorMapper errorMapper = new ErrorMapper();

    /**
     * A handler dispatching to {@code registry} the envelopes whose sender {@code mayForward}
     * accepts; created by {@link ApiHandlerRegistry.Builder#unwrapEnvelopes()}.
     */
    EnvelopeHandler(ApiHandlerRegistry registry, Predicate<DecodedRequest> mayForward) {
        this.registry = registry;
        this.mayForward = mayForward;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ENVELOPE;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest envelope) {
        DecodedRequest inner;
        try {
            if (!mayForward.test(envelope)) {
                throw new RefusedEnvelope(
                        Errors.CLUSTER_AUTHORIZATION_FAILED, envelope.principal() + " may not forward requests");
            }
            inner = unwrap(envelope);
        } catch (RefusedEnvelope refused) {
            LOG.warn(
                    "Refusing {} from {}: {}; answering {}",
                    envelope.describe(),
                    envelope.remoteAddress(),
                    refused.getMessage(),
                    refused.error);
            return HandlerResult.completed(new EnvelopeResponse(refused.error));
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "Unwrapped {} from {} forwarded on connection {}",
                    inner.describe(),
                    inner.remoteAddress(),
                    envelope.connectionId());
        }
        CompletableFuture<HandlerResult> innerFuture = registry.invoke(inner);
        CompletableFuture<HandlerResult> answer = innerFuture.handle((result, failure) -> wrap(inner, result, failure));
        answer.whenComplete((result, failure) -> {
            if (failure instanceof CancellationException) {
                innerFuture.cancel(false);
            }
        });
        return answer;
    }

    /**
     * The request inside {@code envelope}, as if its client had sent it on the envelope's connection.
     *
     * @throws RefusedEnvelope if it cannot be served here
     */
    private DecodedRequest unwrap(DecodedRequest envelope) {
        EnvelopeRequest body = envelope.body(EnvelopeRequest.class);
        InetAddress clientAddress = clientAddress(body.clientAddress());
        if (body.requestData() == null) {
            throw new RefusedEnvelope(Errors.INVALID_REQUEST, "no request data");
        }
        // a view of our private copy of the frame, as the request decoder's own input is
        ByteBuffer data = body.requestData().duplicate();
        int size = data.remaining();
        RequestHeader header;
        try {
            header = RequestHeader.parse(data);
        } catch (RuntimeException e) {
            throw new RefusedEnvelope(
                    Errors.UNSUPPORTED_VERSION, "unreadable inner request header (" + reason(e) + ")");
        }
        ApiKeys apiKey = header.apiKey();
        short version = header.apiVersion();
        String described = apiKey + " v" + version + " (correlationId=" + header.correlationId() + ", clientId="
                + header.clientId() + ")";
        if (apiKey == ApiKeys.ENVELOPE) {
            throw new RefusedEnvelope(Errors.INVALID_REQUEST, "nested envelope " + described);
        }
        if (apiKey == ApiKeys.API_VERSIONS) {
            throw new RefusedEnvelope(
                    Errors.INVALID_REQUEST,
                    "inner " + described + ": versions are negotiated on the forwarder's own connection");
        }
        if (registry.handler(apiKey).isEmpty()) {
            throw new RefusedEnvelope(Errors.INVALID_REQUEST, "inner " + described + " is not served here");
        }
        if (!registry.supports(apiKey, version)) {
            throw new RefusedEnvelope(Errors.UNSUPPORTED_VERSION, "inner " + described + " is not supported");
        }
        AbstractRequest request;
        try {
            request = AbstractRequest.parseRequest(apiKey, version, new ByteBufferAccessor(data)).request;
        } catch (RuntimeException e) {
            // Kafka answers UNSUPPORTED_VERSION here too, to tell a bad inner request from a bad envelope
            throw new RefusedEnvelope(
                    Errors.UNSUPPORTED_VERSION, "malformed inner " + described + " body: " + reason(e));
        }
        DecodedRequest inner = new DecodedRequest(
                header,
                apiKey,
                version,
                request,
                header.clientId(),
                new InetSocketAddress(clientAddress, 0),
                envelope.connectionId(),
                size,
                principal(body.requestPrincipal()));
        if (!inner.expectsResponse()) {
            throw new RefusedEnvelope(
                    Errors.INVALID_REQUEST,
                    "inner " + described + " expects no response, but an envelope is always answered");
        }
        return inner;
    }

    /** The forwarded client's principal; an envelope without one (an older forwarder) is anonymous. */
    private static KafkaPrincipal principal(byte[] serialized) {
        if (serialized == null || serialized.length == 0) {
            return KafkaPrincipal.ANONYMOUS;
        }
        try {
            return PRINCIPAL_SERDE.deserialize(serialized);
        } catch (RuntimeException e) {
            throw new RefusedEnvelope(Errors.INVALID_REQUEST, "an unreadable request principal: " + e.getMessage());
        }
    }

    private static InetAddress clientAddress(byte[] address) {
        if (address == null) {
            throw new RefusedEnvelope(Errors.INVALID_REQUEST, "no client address");
        }
        try {
            return InetAddress.getByAddress(address); // IPv4 or IPv6 by length; no name lookup
        } catch (UnknownHostException e) {
            throw new RefusedEnvelope(
                    Errors.INVALID_REQUEST,
                    "a client address of " + address.length + " bytes is neither IPv4 nor IPv6");
        }
    }

    /** The envelope's answer for the inner handler's outcome. */
    private HandlerResult wrap(DecodedRequest inner, HandlerResult result, Throwable failure) {
        if (failure == null) {
            failure = HandlerResult.unwritable(inner, result);
        }
        if (failure != null) {
            return respond(inner, errorMapper.errorResponse(inner, failure));
        }
        if (result instanceof Respond respond) {
            return respond(inner, respond.response());
        }
        if (result instanceof CloseConnection close) {
            return HandlerResult.closeConnection("inner " + close.reason());
        }
        // NoResponse to a request that expects one: a handler bug, but the forwarder still waits
        LOG.error(
                "Handler gave no response to {}, which expects one; answering the envelope {}",
                inner.describe(),
                Errors.UNKNOWN_SERVER_ERROR);
        return HandlerResult.respond(new EnvelopeResponse(Errors.UNKNOWN_SERVER_ERROR));
    }

    private HandlerResult respond(DecodedRequest inner, AbstractResponse response) {
        ByteBuffer payload;
        try {
            payload = serialize(inner, response);
        } catch (RuntimeException e) {
            // e.g. file-backed records, which only the zero-copy path of a direct response can send
            payload = serialize(inner, errorMapper.errorResponse(inner, e));
        }
        return HandlerResult.respond(new EnvelopeResponse(payload, Errors.NONE));
    }

    /** Response header (the inner correlation id, at the inner API's header version) then the body. */
    static ByteBuffer serialize(DecodedRequest inner, AbstractResponse response) {
        short headerVersion = inner.apiKey().responseHeaderVersion(inner.apiVersion());
        return RequestUtils.serialize(
                new ResponseHeader(inner.correlationId(), headerVersion).data(),
                headerVersion,
                response.data(),
                inner.apiVersion());
    }

    private static String reason(RuntimeException e) {
        // a buffer underflow (truncated body) has no message
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** An envelope this server cannot serve, with the error code that tells the forwarder why. */
    private static final class RefusedEnvelope extends RuntimeException {
        private final Errors error;

        RefusedEnvelope(Errors error, String message) {
            super(message, null, false, false);
            this.error = error;
        }
    }
}
