package io.tributary.common.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;

/**
 * Answers ApiVersions (key 18) from an {@link ApiHandlerRegistry}: exactly the registered APIs
 * with their declared ranges, and the {@link ApiFeatures} the server was given (none by default).
 *
 * <p>A client sends its newest ApiVersions version first. If this server does not support it,
 * the request decoder hands over an empty v0 request (KIP-511) and this handler answers a v0
 * body with {@code UNSUPPORTED_VERSION} and only our ApiVersions range, from which the client
 * retries at our maximum. A v3+ request with an invalid client software name or version gets
 * {@code INVALID_REQUEST}, as in Kafka.
 *
 * <p>Stateless and thread-safe; completes synchronously.
 */
public final class ApiVersionsHandler implements ApiHandler {

    private final ApiHandlerRegistry registry;
    private final ApiFeatures features;

    /** A handler answering from {@code registry} (which must contain this handler or get it by default). */
    public ApiVersionsHandler(ApiHandlerRegistry registry) {
        this(registry, ApiFeatures.NONE);
    }

    /** As {@link #ApiVersionsHandler(ApiHandlerRegistry)}, advertising {@code features} too. */
    public ApiVersionsHandler(ApiHandlerRegistry registry, ApiFeatures features) {
        this.registry = registry;
        this.features = features;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        ApiVersionsRequest body = request.body(ApiVersionsRequest.class);
        if (body.hasUnsupportedRequestVersion()) {
            return HandlerResult.completed(unsupportedVersion());
        }
        if (!body.isValid()) {
            return HandlerResult.completed(
                    body.getErrorResponse(AbstractResponse.DEFAULT_THROTTLE_TIME, Errors.INVALID_REQUEST.exception()));
        }
        ApiVersionsResponseData answer = new ApiVersionsResponseData()
                .setErrorCode(Errors.NONE.code())
                .setThrottleTimeMs(AbstractResponse.DEFAULT_THROTTLE_TIME)
                .setApiKeys(registry.apiVersions());
        features.writeTo(answer);
        return HandlerResult.completed(new ApiVersionsResponse(answer));
    }

    private ApiVersionsResponse unsupportedVersion() {
        ApiVersionCollection onlyOurs = new ApiVersionCollection(1);
        // our declared range, not kafka-clients' full one: a registry may serve fewer versions
        onlyOurs.add(ApiHandlerRegistry.advertised(
                registry.handler(ApiKeys.API_VERSIONS).orElse(this)));
        return new ApiVersionsResponse(new ApiVersionsResponseData()
                .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                .setThrottleTimeMs(AbstractResponse.DEFAULT_THROTTLE_TIME)
                .setApiKeys(onlyOurs));
    }
}
