package io.tributary.common.protocol;

/**
 * Hook for services that keep per-connection state (fetch sessions, pending forwarded
 * requests): told when a connection opens and when it closes, whatever the reason.
 *
 * <p>Threading: called on the connection's event loop; implementations must be quick and
 * non-blocking. An exception thrown here is logged and otherwise ignored.
 */
public interface ConnectionListener {

    /** A connection was accepted; called before its first request is handled. */
    default void connectionOpened(ConnectionInfo connection) {}

    /** A connection closed; called once, after which no request of it is dispatched. */
    default void connectionClosed(ConnectionInfo connection) {}
}
