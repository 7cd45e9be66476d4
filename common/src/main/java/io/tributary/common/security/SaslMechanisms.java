package io.tributary.common.security;

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
}
