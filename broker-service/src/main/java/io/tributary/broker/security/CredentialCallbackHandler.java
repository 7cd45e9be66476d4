package io.tributary.broker.security;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.token.delegation.internals.DelegationTokenCredentialCallback;

/**
 * Answers kafka-clients' SASL servers from the {@link ScramCredentialStore}:
 * <ul>
 *   <li>SCRAM ({@code ScramSaslServer}): the user's stored credential for the mechanism, or none,
 *   which the server turns into an authentication failure;</li>
 *   <li>PLAIN ({@code PlainSaslServer}): the password is checked against the user's stored SCRAM
 *   credential (SHA-512, else SHA-256) by deriving the stored key from it with the stored salt
 *   and iterations, so PLAIN needs no second, clear-text password list.</li>
 * </ul>
 * One instance per exchange (it remembers the user name of the callbacks); not thread-safe.
 */
final class CredentialCallbackHandler implements CallbackHandler {

    private final ScramCredentialStore store;
    private final ScramMechanism mechanism;

    /** @param mechanism the SCRAM mechanism of the exchange, or {@code null} for PLAIN */
    CredentialCallbackHandler(ScramCredentialStore store, ScramMechanism mechanism) {
        this.store = store;
        this.mechanism = mechanism;
    }

    @Override
    public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        String user = null;
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                user = name.getDefaultName();
            } else if (callback instanceof DelegationTokenCredentialCallback) {
                continue; // delegation tokens are not supported: no credential, so the exchange fails
            } else if (callback instanceof ScramCredentialCallback scram && mechanism != null && user != null) {
                scram.scramCredential(store.credential(user, mechanism).orElse(null));
            } else if (callback instanceof PlainAuthenticateCallback plain && user != null) {
                plain.authenticated(passwordMatches(user, plain.password()));
            } else if (!(callback instanceof ScramCredentialCallback)) {
                // e.g. the delegation-token callback: tokens are not supported, so no credential
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    private boolean passwordMatches(String user, char[] password) {
        for (ScramMechanism candidate :
                new ScramMechanism[] {ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256}) {
            Optional<ScramCredential> stored = store.credential(user, candidate);
            if (stored.isPresent()) {
                return matches(candidate, stored.get(), password);
            }
        }
        return false;
    }

    private static boolean matches(ScramMechanism mechanism, ScramCredential stored, char[] password) {
        try {
            ScramFormatter formatter = new ScramFormatter(mechanism);
            byte[] salted = formatter.saltedPassword(new String(password), stored.salt(), stored.iterations());
            byte[] storedKey = formatter.storedKey(formatter.clientKey(salted));
            return MessageDigest.isEqual(storedKey, stored.storedKey());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("The JDK lacks " + mechanism.macAlgorithm(), e);
        }
    }
}
