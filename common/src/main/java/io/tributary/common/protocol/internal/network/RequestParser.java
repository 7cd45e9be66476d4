package io.tributary.common.protocol.internal.network;

import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.ConnectionInfo;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.RequestBuffer;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Turns one frame (header + body, no size prefix) into a {@link DecodedRequest}, using
 * kafka-clients' generated parsers. Knows nothing of Netty, so it is tested on plain buffers.
 *
 * <p>Order of checks, cheapest first: header (an unknown API key or a version kafka-clients
 * cannot read fails here), then "is this API and version registered?" before touching the
 * body. The one exception is ApiVersions: a version we do not serve is not an error but the
 * normal start of version negotiation (KIP-511), so its body is not parsed (it may be a format
 * we cannot read) and an empty v0 request marked with the client's version goes to the
 * handler, which answers v0 {@code UNSUPPORTED_VERSION}. This mirrors
 * {@code RequestContext.parseRequest}, generalised to a registry that serves fewer versions
 * than kafka-clients can parse.
 *
 * <p>Parsed {@code *Data} objects keep slices of the buffer, e.g. a Produce request's records:
 * it must be private to this request, either a heap copy or a network buffer that the returned
 * request counts ({@link RequestBuffer}).
 *
 * <p>Stateless and thread-safe.
 */
public final class RequestParser {

    private final ApiHandlerRegistry registry;

    public RequestParser(ApiHandlerRegistry registry) {
        this.registry = registry;
    }

    /**
     * Parses {@code frame} (consumed) received on {@code connection}.
     *
     * @throws RequestRejectedException if the frame cannot be served; the caller closes the connection
     */
    public DecodedRequest parse(ByteBuffer frame, ConnectionInfo connection) {
        return parse(frame, connection, RequestBuffer.NONE);
    }

    /**
     * Parses {@code frame} (consumed), which {@code buffer} keeps alive, received on {@code connection}.
     *
     * @throws RequestRejectedException if the frame cannot be served; the caller closes the connection
     */
    public DecodedRequest parse(ByteBuffer frame, ConnectionInfo connection, RequestBuffer buffer) {
        int size = frame.remaining();
        RequestHeader header;
        try {
            header = RequestHeader.parse(frame);
        } catch (RuntimeException e) {
            throw new RequestRejectedException("malformed request header (" + reason(e) + ")", e);
        }
        ApiKeys apiKey = header.apiKey();
        short version = header.apiVersion();
        AbstractRequest body;
        short responseVersion = version;
        if (apiKey == ApiKeys.API_VERSIONS && !registry.supports(apiKey, version)) {
            body = new ApiVersionsRequest(new ApiVersionsRequestData(), (short) 0, version);
            responseVersion = 0;
        } else if (registry.handler(apiKey).isEmpty()) {
            throw new RequestRejectedException(apiKey + " is not served here (correlationId=" + header.correlationId()
                    + ", clientId=" + header.clientId() + ")");
        } else if (!registry.supports(apiKey, version)) {
            throw new RequestRejectedException(apiKey + " v" + version + " is not supported (correlationId="
                    + header.correlationId() + ", clientId=" + header.clientId() + ")");
        } else {
            try {
                body = AbstractRequest.parseRequest(apiKey, version, new ByteBufferAccessor(frame)).request;
            } catch (RuntimeException e) {
                throw new RequestRejectedException(
                        "malformed " + apiKey + " v" + version + " body (correlationId=" + header.correlationId()
                                + ", clientId=" + header.clientId() + "): " + reason(e),
                        e);
            }
        }
        frame.position(frame.limit());
        return new DecodedRequest(
                header,
                apiKey,
                responseVersion,
                body,
                header.clientId(),
                connection.remoteAddress(),
                connection.connectionId(),
                size,
                KafkaPrincipal.ANONYMOUS,
                buffer);
    }

    private static String reason(RuntimeException e) {
        // a buffer underflow (truncated body) has no message
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
