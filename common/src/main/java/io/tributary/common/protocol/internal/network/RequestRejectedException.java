package io.tributary.common.protocol.internal.network;

/**
 * A frame that cannot be served: malformed header or body, an API this server does not
 * register, or a version outside the registered range. The connection is closed, as Kafka
 * does, because the client cannot be answered in a form it would understand.
 */
public final class RequestRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RequestRejectedException(String message, Throwable cause) {
        super(message, cause);
    }

    RequestRejectedException(String message) {
        super(message);
    }
}
