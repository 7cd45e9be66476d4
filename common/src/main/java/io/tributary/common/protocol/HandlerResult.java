package io.tributary.common.protocol;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * What an {@link ApiHandler} wants done with its request's slot in the connection's response
 * queue: send a response, send nothing, or close the connection. Whatever is chosen happens
 * only when every earlier request on the same connection has been answered, so the client
 * always sees responses in the order it sent the requests.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface HandlerResult
        permits HandlerResult.Respond, HandlerResult.NoResponse, HandlerResult.CloseConnection {

    /** Send {@code response}, written at the request's version with the request's correlation id. */
    static HandlerResult respond(AbstractResponse response) {
        return new Respond(response);
    }

    /** Send nothing and free the slot (a Produce with {@code acks=0}). */
    static HandlerResult noResponse() {
        return NoResponse.INSTANCE;
    }

    /**
     * Close the connection once the earlier responses are flushed: Kafka's way of telling an
     * {@code acks=0} producer that its request failed.
     */
    static HandlerResult closeConnection(String reason) {
        return new CloseConnection(reason);
    }

    /** Shorthand for a handler that answers synchronously. */
    static CompletableFuture<HandlerResult> completed(AbstractResponse response) {
        return CompletableFuture.completedFuture(respond(response));
    }

    /** Send this response. */
    /**
     * Why a handler's outcome for {@code request} cannot be written, or {@code null} if it can: no
     * outcome at all, or a response of another API (written as-is it would corrupt the client's
     * view of the connection). Callers answer the returned failure as if the handler had thrown it.
     */
    static IllegalStateException unwritable(DecodedRequest request, HandlerResult result) {
        if (result == null) {
            return new IllegalStateException("handler completed with null for " + request.describe());
        }
        if (result instanceof Respond respond && respond.response().apiKey() != request.apiKey()) {
            return new IllegalStateException("handler answered " + request.describe() + " with a "
                    + respond.response().apiKey() + " response");
        }
        return null;
    }

    record Respond(AbstractResponse response) implements HandlerResult {
        public Respond {
            Objects.requireNonNull(response, "response");
        }
    }

    /** Send nothing. */
    final class NoResponse implements HandlerResult {
        private static final NoResponse INSTANCE = new NoResponse();

        private NoResponse() {}

        @Override
        public String toString() {
            return "NoResponse";
        }
    }

    /** Close the connection after the earlier responses; {@code reason} goes to the log. */
    record CloseConnection(String reason) implements HandlerResult {
        public CloseConnection {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
