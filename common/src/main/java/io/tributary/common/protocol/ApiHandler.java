package io.tributary.common.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Serves one Kafka API over a declared version range. A service implements one handler per API
 * key and registers it in an {@link ApiHandlerRegistry}; the registry advertises exactly these
 * ranges in ApiVersions and the server rejects (closes the connection on) any other version
 * before the handler is called, so a handler only ever sees versions in
 * {@code [minVersion(), maxVersion()]}.
 *
 * <p>Threading: {@link #handle} is called on the connection's Netty event loop and must never
 * block it. Work that waits (a long-polled Fetch, an {@code acks=all} Produce, a request
 * forwarded to another service) returns an incomplete future and completes it later from any
 * thread; the server moves the result back to the event loop and writes responses in request
 * order per connection. A handler may throw or complete the future exceptionally: a Kafka
 * {@code ApiException} becomes its own error code, anything else
 * {@code UNKNOWN_SERVER_ERROR} (see {@link ErrorMapper}).
 *
 * <p>If the connection closes while a future is pending, the server cancels that future, so a
 * parked request can notice {@code isDone()} and release what it holds. Hence return a future
 * of this request's own (never one shared between requests).
 */
public interface ApiHandler {

    /** The API this handler serves. */
    ApiKeys apiKey();

    /**
     * Lowest version served; at least {@code apiKey().oldestVersion()}. By default that oldest
     * version: override only to serve less than kafka-clients can parse.
     */
    default short minVersion() {
        return apiKey().oldestVersion();
    }

    /**
     * Highest version served; at most {@code apiKey().latestVersion(false)}. By default that
     * latest stable version: override only to serve less (unstable versions are never served).
     */
    default short maxVersion() {
        return apiKey().latestVersion(false);
    }

    /**
     * Handles one request. Never returns {@code null}.
     *
     * @param request the decoded request; its version is within this handler's range
     * @return the outcome, possibly completed later on another thread
     */
    CompletableFuture<HandlerResult> handle(DecodedRequest request);
}
