package io.tributary.broker.server;

import io.tributary.common.protocol.ApiHandler;

/**
 * Wraps the API handlers before they are registered, so a concern that applies across APIs (client
 * quotas) sits around the handlers instead of inside each. Every bean of this type is applied to
 * every handler, in bean order; a decorator returns the handler itself for the APIs it leaves alone.
 */
public interface HandlerDecorator {

    /** {@code handler}, or a handler for the same API and versions that delegates to it. */
    ApiHandler decorate(ApiHandler handler);
}
