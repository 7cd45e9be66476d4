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
 * <p>A service may know more of its own failures than "unexpected": it passes an
 * {@link Extension} that names the error for them (the group coordinator answers a database
 * failure with {@code COORDINATOR_NOT_AVAILABLE}, which clients retry after finding the
 * coordinator again). Such a failure is logged once at WARN, and its message is not sent
 * either: it is not a Kafka exception, so it may carry internals.
 *
 * <p>Stateless (the extension must be too) and thread-safe.
 */
public final class ErrorMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    private static final int MAX_LOGGED_REQUEST_CHARS = 500;

    /** Exact exception class → error, built once from kafka-clients' own table. */
    private static final Map<Class<?>, Errors> BY_CLASS = buildIndex();

    /**
     * A service's own mapping of failures that are no Kafka {@link ApiException}; consulted only
     * for those. Must be stateless and thread-safe.
     */
    @FunctionalInterface
    public interface Extension {
        /** The error for {@code cause} (already unwrapped), or {@code null} when it is unexpected. */
        Errors toErrors(Throwable cause);
    }

    private final Extension extension;

    /** Kafka's exceptions map to their codes; everything else is {@code UNKNOWN_SERVER_ERROR}. */
    public ErrorMapper() {
        this(cause -> null);
    }

    /** As {@link #ErrorMapper()}, with {@code extension} naming the error of the service's own failures. */
    public ErrorMapper(Extension extension) {
        this.extension = extension;
    }

    /** The mapping of {@code failure} (after unwrapping future wrappers) to an error code. */
    public Errors toErrors(Throwable failure) {
        Throwable cause = unwrap(failure);
        for (Class<?> type = cause.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            Errors error = BY_CLASS.get(type);
            if (error != null) {
                return error;
            }
        }
        if (!(cause instanceof ApiException)) {
            Errors known = extension.toErrors(cause);
            if (known != null) {
                return known;
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
        if (!(cause instanceof ApiException) && error != Errors.UNKNOWN_SERVER_ERROR) {
            LOG.warn("{} failed, answering {}: {}", request.describe(), error, cause.toString());
            return request.request().getErrorResponse(AbstractResponse.DEFAULT_THROTTLE_TIME, error.exception());
        }
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
        return errorOf(what, failure);
    }

    /**
     * The error for a failure answered inside a response (one partition's, one group's, or a
     * whole API's answer built by the service itself). An unexpected failure is logged once at
     * ERROR with {@code what} (e.g. {@code "Fetch of orders-3"}, {@code "DeleteGroups billing"})
     * and the stack trace; one the {@link Extension} names at WARN without it; a Kafka
     * exception is not logged.
     */
    public Errors errorOf(String what, Throwable failure) {
        Throwable cause = unwrap(failure);
        Errors error = toErrors(cause);
        if (cause instanceof ApiException) {
            return error;
        }
        if (error == Errors.UNKNOWN_SERVER_ERROR) {
            LOG.error("{} failed unexpectedly: answering {}", what, error, cause);
        } else {
            LOG.warn("{} failed, answering {}: {}", what, error, withRootCause(cause));
        }
        return error;
    }

    /**
     * {@code cause} and, if it wraps one, its deepest cause: a framework's wrapper ("Unable to
     * commit against JDBC Connection") hides what went wrong ("No space left on device").
     */
    static String withRootCause(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == cause ? cause.toString() : cause + " (caused by " + root + ")";
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

    /** {@code failure} without the {@link CompletionException}s and {@link ExecutionException}s around it. */
    public static Throwable unwrap(Throwable failure) {
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
