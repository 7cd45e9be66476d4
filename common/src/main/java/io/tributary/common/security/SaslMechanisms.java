package io.tributary.common.security;

import java.time.Duration;
import java.util.List;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * The SASL mechanisms a SASL listener offers and a fresh server-side exchange for each: what
 * the protocol server's authenticator calls on SaslHandshake. The service implements it over its
 * credential store (the broker: SCRAM credentials in ZooKeeper).
 *
 * <p>Implementations are thread-safe; each {@link SaslServer} serves one connection.
 */
public interface SaslMechanisms {

    /** The enabled mechanisms ({@code sasl.enabled.mechanisms}), e.g. SCRAM-SHA-512, PLAIN. */
    List<String> enabled();

    /**
     * A new exchange for one client.
     *
     * @param mechanism one of {@link #enabled()}
     */
    SaslServer newServer(String mechanism) throws SaslException;

    /**
     * {@code connections.max.reauth.ms} (KIP-368): how long a session lasts before the client must
     * re-authenticate on its connection; zero (Kafka's default) for sessions that never expire.
     * When positive, SaslAuthenticate tells the client (v1+ {@code session_lifetime_ms}), the
     * client re-authenticates in time, and a connection whose session expired is closed at its
     * next request.
     */
    default Duration sessionLifetime() {
        return Duration.ZERO;
    }
}
