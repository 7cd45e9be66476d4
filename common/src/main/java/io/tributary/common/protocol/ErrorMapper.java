package io.tributary.common.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes a Kafka error code on the wire.
 *
 * <p>A Kafka {@link ApiException} maps to its own code, including subclasses we define
 * ourselves (kafka-clients' {@code Errors.forException} matches only the exact class, so we
 * walk up the hierarchy). Anything else is a bug or an unexpected environment failure: it
 * becomes {@code UNKNOWN_SERVER_ERROR}, logged here once at ERROR with the API, version,
 * correlation id and client id, and its message is not sent to the client.
 *
 * <p>Stateless and thread-safe.
 */
public final class ErrorMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    private static final int MAX_LOGGED_REQUEST_CHARS = 500;

    /** Exact exception class → error, built once from kafka-clients' own table. */
    private static final Map<Class<?>, Errors> BY_CLASS = buildIndex();

    /** The mapping of {@code failure} (after unwrapping future wrappers) to an error code. */
    public Errors toErrors(Throwable failure) {
        Throwable cause = unwrap(failure);
        for (Class<?> type = cause.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            Errors error = BY_CLASS.get(type);
            if (error != null) {
                return error;
            }
        }
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    /**
     * The error response for {@code request} after {@code failure}, at the request's version.
     * Logs unexpected failures once; expected ({@link ApiException}) ones only at debug.
     */
    public AbstractResponse errorResponse(DecodedRequest request, Throwable failure) {
        Throwable cause = unwrap(failure);
        Errors error = toErrors(cause);
        if (error == Errors.UNKNOWN_SERVER_ERROR && !(cause instanceof ApiException)) {
            LOG.error(
                    "Unexpected failure handling {} v{} correlationId={} clientId={} from {}: answering {}; request {}",
                    request.apiKey(),
                    request.apiVersion(),
                    request.correlationId(),
                    request.clientId(),
                    request.connectionId(),
                    error,
                    summary(request),
                    cause);
            // never leak an internal message (paths, SQL...) to the client
            return request.request().getErrorResponse(AbstractResponse.DEFAULT_THROTTLE_TIME, error.exception());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} answered with {}: {}", request.describe(), error, cause.getMessage());
        }
        // re-create the canonical exception so getErrorResponse's own exact-class lookup agrees
        return request.request()
                .getErrorResponse(AbstractResponse.DEFAULT_THROTTLE_TIME, error.exception(cause.getMessage()));
    }

    /**
     * The error for one partition's part of a request (a Produce, Fetch or ListOffsets partition
     * fails alone while the others are answered). An unexpected failure is logged once at ERROR
     * with {@code what} (e.g. {@code "Fetch of orders-3"}); expected ones are not logged.
     */
    public Errors partitionError(String what, Throwable failure) {
        Throwable cause = unwrap(failure);
        Errors error = toErrors(cause);
        if (!(cause instanceof ApiException)) {
            LOG.error("{} failed unexpectedly: answering {}", what, error, cause);
        }
        return error;
    }

    /** The message to send with {@code failure}'s error code: none for an unexpected failure (no internals leak). */
    public static String clientMessage(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof ApiException ? cause.getMessage() : null;
    }

    /** The request body for the log, cut short: a Produce or Fetch can be large. */
    private static String summary(DecodedRequest request) {
        String body;
        try {
            body = request.request().toString(false);
        } catch (RuntimeException e) {
            body = request.request().getClass().getSimpleName();
        }
        return body.length() <= MAX_LOGGED_REQUEST_CHARS ? body : body.substring(0, MAX_LOGGED_REQUEST_CHARS) + "...";
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static Map<Class<?>, Errors> buildIndex() {
        Map<Class<?>, Errors> index = new HashMap<>();
        for (Errors error : Errors.values()) {
            ApiException exception = error.exception();
            // several codes share a class in a few old cases: the first (lowest code) wins, as in Errors
            if (exception != null) {
                index.putIfAbsent(exception.getClass(), error);
            }
        }
        return Map.copyOf(index);
    }
}
