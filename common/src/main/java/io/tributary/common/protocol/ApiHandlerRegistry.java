package io.tributary.common.protocol;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs a server answers: one {@link ApiHandler} per API key, each with its version range.
 * The same table drives request validation (an unregistered API or a version outside the range
 * closes the connection) and the ApiVersions answer, so the two cannot disagree.
 *
 * <p>Every registry serves ApiVersions: if no handler is registered for it, {@link Builder#build()}
 * adds an {@link ApiVersionsHandler} over the full range kafka-clients supports. A registry
 * serves Envelope (requests another service forwards on its clients' behalf) only when its
 * service opts in with {@link Builder#unwrapEnvelopes()}; the {@link EnvelopeHandler} then
 * dispatches each inner request to the handler registered here for its API.
 *
 * <p>Invariants (checked at registration, failing fast): at most one handler per key; every
 * range lies within {@code apiKey.oldestVersion() .. apiKey.latestVersion(false)} of the
 * pinned kafka-clients, because we can neither parse nor write other versions, and unstable
 * versions must never be advertised.
 *
 * <p>Immutable once built; thread-safe.
 */
public final class ApiHandlerRegistry {

    private final Map<ApiKeys, ApiHandler> handlers;

    private ApiHandlerRegistry(Map<ApiKeys, ApiHandler> handlers) {
        this.handlers = handlers;
    }

    /** A builder for a registry. */
    public static Builder builder() {
        return new Builder();
    }

    /** The handler for {@code apiKey}, if registered. */
    public Optional<ApiHandler> handler(ApiKeys apiKey) {
        return Optional.ofNullable(handlers.get(apiKey));
    }

    /**
     * Hands {@code request} to its handler. Never throws: a handler that throws, or returns no
     * future, gives a failed future, which the caller turns into the API's error response.
     *
     * @throws java.util.NoSuchElementException if the API is not registered (callers let only
     *         registered APIs through)
     */
    public CompletableFuture<HandlerResult> invoke(DecodedRequest request) {
        ApiHandler handler = handler(request.apiKey()).orElseThrow();
        try {
            CompletableFuture<HandlerResult> future = handler.handle(request);
            return future != null
                    ? future
                    : CompletableFuture.failedFuture(new IllegalStateException(handler + " returned no future"));
        } catch (Exception | LinkageError e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Whether {@code apiKey} is registered and {@code version} is within its handler's range. */
    public boolean supports(ApiKeys apiKey, short version) {
        ApiHandler handler = handlers.get(apiKey);
        return handler != null && version >= handler.minVersion() && version <= handler.maxVersion();
    }

    /** The registered API keys, in key order. */
    public Set<ApiKeys> apiKeys() {
        return Collections.unmodifiableSet(handlers.keySet());
    }

    /**
     * The ApiVersions {@code api_keys} array: exactly the registered APIs with their declared
     * ranges. A new collection each call, because kafka-clients' implicit-linked collections let
     * an element belong to only one collection at a time.
     */
    public ApiVersionCollection apiVersions() {
        ApiVersionCollection versions = new ApiVersionCollection(handlers.size());
        for (ApiHandler handler : handlers.values()) {
            versions.add(advertised(handler));
        }
        return versions;
    }

    /** The advertised range of one API. */
    static ApiVersion advertised(ApiHandler handler) {
        short min = handler.minVersion();
        if (handler.apiKey() == ApiKeys.PRODUCE) {
            // KAFKA-18659: librdkafka refuses a broker whose Produce range starts above 0, so Kafka
            // advertises 0 while still rejecting v0-2; the Java clients ignore the difference.
            min = (short) Math.min(min, ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION);
        }
        return new ApiVersion()
                .setApiKey(handler.apiKey().id)
                .setMinVersion(min)
                .setMaxVersion(handler.maxVersion());
    }

    /**
     * Collects handlers; not thread-safe, used once at startup.
     */
    public static final class Builder {

        private final Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);
        private boolean unwrapEnvelopes;
        private ApiFeatures features = ApiFeatures.NONE;
        private Predicate<DecodedRequest> mayForward = envelope -> true;

        private Builder() {}

        /**
         * Serves Envelope (KIP-590) with an {@link EnvelopeHandler} over this registry: a request
         * forwarded inside one reaches the handler of its own API with the original client's
         * header, client id and address. Only a service that other services forward to should
         * opt in; Envelope is advertised in ApiVersions only then.
         */
        public Builder unwrapEnvelopes() {
            this.unwrapEnvelopes = true;
            return this;
        }

        /**
         * As {@link #unwrapEnvelopes()}, serving only the envelopes whose sender (the connection's
         * principal) {@code mayForward} accepts; the others are answered
         * {@code CLUSTER_AUTHORIZATION_FAILED}, as Kafka answers an envelope from a principal without
         * CLUSTER_ACTION, so that no one can forward a request under another principal's name.
         */
        public Builder unwrapEnvelopes(Predicate<DecodedRequest> mayForward) {
            this.mayForward = Objects.requireNonNull(mayForward, "mayForward");
            return unwrapEnvelopes();
        }

        /** The features the default ApiVersions handler advertises (v3+); none unless set. */
        public Builder features(ApiFeatures features) {
            this.features = Objects.requireNonNull(features, "features");
            return this;
        }

        /**
         * Adds a handler.
         *
         * @throws IllegalArgumentException if the key is taken or the range is empty or outside
         *                                  what the pinned kafka-clients supports
         */
        public Builder register(ApiHandler handler) {
            Objects.requireNonNull(handler, "handler");
            ApiKeys key = Objects.requireNonNull(handler.apiKey(), "handler.apiKey()");
            if (handlers.containsKey(key)) {
                throw new IllegalArgumentException("Two handlers for " + key + ": "
                        + handlers.get(key).getClass().getName() + " and "
                        + handler.getClass().getName());
            }
            if (!key.hasValidVersion()) {
                throw new IllegalArgumentException(key + " has no version in kafka-clients; it cannot be served");
            }
            short oldest = key.oldestVersion();
            short latest = key.latestVersion(false);
            if (handler.minVersion() > handler.maxVersion()
                    || handler.minVersion() < oldest
                    || handler.maxVersion() > latest) {
                throw new IllegalArgumentException(handler.getClass().getName() + " declares " + key + " v"
                        + handler.minVersion() + "-" + handler.maxVersion()
                        + " but kafka-clients supports (stable) v" + oldest + "-" + latest);
            }
            handlers.put(key, handler);
            return this;
        }

        /**
         * Builds the registry, adding the default {@link ApiVersionsHandler} if none was registered
         * and the {@link EnvelopeHandler} if {@link #unwrapEnvelopes()} was called.
         *
         * @throws IllegalArgumentException if envelopes are to be unwrapped but an Envelope handler
         *                                  was registered as well
         */
        public ApiHandlerRegistry build() {
            if (unwrapEnvelopes && handlers.containsKey(ApiKeys.ENVELOPE)) {
                throw new IllegalArgumentException("Two handlers for " + ApiKeys.ENVELOPE + ": "
                        + handlers.get(ApiKeys.ENVELOPE).getClass().getName() + " and unwrapEnvelopes()");
            }
            Map<ApiKeys, ApiHandler> table = new EnumMap<>(handlers);
            ApiHandlerRegistry registry = new ApiHandlerRegistry(Collections.unmodifiableMap(table));
            // the registry is not yet published, so completing its table here is safe
            if (!table.containsKey(ApiKeys.API_VERSIONS)) {
                table.put(ApiKeys.API_VERSIONS, new ApiVersionsHandler(registry, features));
            }
            if (unwrapEnvelopes) {
                table.put(ApiKeys.ENVELOPE, new EnvelopeHandler(registry, mayForward));
            }
            return registry;
        }
    }
}
