package io.tributary.common.security;

/**
 * Kafka's {@code ssl.client.auth}: whether a TLS listener asks clients for a certificate.
 * {@code REQUESTED} asks but accepts a client without one; {@code REQUIRED} refuses it.
 */
public enum SslClientAuth {
    NONE,
    REQUESTED,
    REQUIRED
}
