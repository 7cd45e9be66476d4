package io.tributary.broker.security;

import io.tributary.common.security.SaslMechanisms;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;

/**
 * PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 with kafka-clients' own SASL servers
 * ({@code PlainSaslServer}, {@code ScramSaslServer}) over the users in the
 * {@link ScramCredentialStore}. Thread-safe.
 */
public final class CredentialSaslMechanisms implements SaslMechanisms {

    public static final String PLAIN = PlainSaslServer.PLAIN_MECHANISM;

    private final List<String> enabled;
    private final ScramCredentialStore store;
    private final Duration sessionLifetime;

    /**
     * @param sessionLifetime {@code connections.max.reauth.ms}; zero for sessions without end
     * @throws IllegalArgumentException for a mechanism other than PLAIN and SCRAM-SHA-256/512
     */
    public CredentialSaslMechanisms(List<String> enabled, ScramCredentialStore store, Duration sessionLifetime) {
        for (String mechanism : enabled) {
            if (!mechanism.equals(PLAIN) && !ScramMechanism.isScram(mechanism)) {
                throw new IllegalArgumentException(
                        "Unsupported SASL mechanism " + mechanism + ": use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
            }
        }
        this.enabled = List.copyOf(enabled);
        this.store = store;
        this.sessionLifetime = sessionLifetime;
    }

    @Override
    public Duration sessionLifetime() {
        return sessionLifetime;
    }

    @Override
    public List<String> enabled() {
        return enabled;
    }

    @Override
    public SaslServer newServer(String mechanism) throws SaslException {
        if (mechanism.equals(PLAIN)) {
            return new PlainSaslServer(new CredentialCallbackHandler(store, null));
        }
        ScramMechanism scram = ScramMechanism.forMechanismName(mechanism);
        try {
            return new ScramSaslServer(scram, Map.of(), new CredentialCallbackHandler(store, scram));
        } catch (NoSuchAlgorithmException e) {
            throw new SaslException("The JDK lacks " + scram.hashAlgorithm(), e);
        }
    }
}
