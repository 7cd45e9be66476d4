package io.tributary.broker.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.ErrorMapper;
import java.time.Duration;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-resource errors of the admin handlers: a failure of one topic or config resource becomes
 * that entry's error code and message, not a failure of the whole request. Kafka's own
 * exceptions keep their code and message (metadata-service's problem details arrive as such);
 * anything else is {@code UNKNOWN_SERVER_ERROR}, logged once here with the request, its message
 * kept from the client.
 */
final class AdminErrors {

    private static final Logger log = LoggerFactory.getLogger(AdminErrors.class);
    private static final ErrorMapper MAPPER = new ErrorMapper();

    /** Bounds on the time an admin request may give metadata-service. */
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);

    static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private AdminErrors() {}

    /** The error and message for one resource of {@code request} that failed with {@code failure}. */
    static ApiError of(DecodedRequest request, String resource, Throwable failure) {
        Throwable cause = Errors.maybeUnwrapException(failure);
        Errors error = MAPPER.toErrors(cause);
        if (!(cause instanceof ApiException)) {
            log.error("{} failed for {} unexpectedly", request.describe(), resource, cause);
            return new ApiError(Errors.UNKNOWN_SERVER_ERROR, null);
        }
        return new ApiError(error, cause.getMessage());
    }

    /** The request's {@code timeoutMs} as the time to give metadata-service, within sane bounds. */
    static Duration timeout(int timeoutMs) {
        if (timeoutMs <= 0) {
            return DEFAULT_TIMEOUT;
        }
        Duration requested = Duration.ofMillis(timeoutMs);
        return requested.compareTo(MIN_TIMEOUT) < 0
                ? MIN_TIMEOUT
                : requested.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : requested;
    }
}
