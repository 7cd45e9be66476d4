package io.tributary.common.security;

import io.tributary.common.zk.ZkPaths;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramCredentialUtils;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.zookeeper.KeeperException;

/**
 * Checks a user's password against the salted SCRAM credential the brokers keep in ZooKeeper
 * ({@code /config/users/<url-encoded name>}, Kafka's {@code ScramCredentialUtils} format), the
 * way a SCRAM server does: salted password (PBKDF2 with the stored salt and iterations) → client
 * key → stored key, compared in constant time. No password is stored anywhere. SCRAM-SHA-512 is
 * tried first, then SCRAM-SHA-256, so a user with either credential can log in.
 *
 * <p>Reads ZooKeeper on every call (no cache), so a credential created or changed through any
 * broker counts at once; it serves the services' HTTP admin APIs, whose request rate is low, and
 * each check costs one ZooKeeper read plus the PBKDF2 iterations (a few milliseconds).
 * Thread-safe; blocking.
 */
public final class ScramPasswordVerifier {

    private static final List<ScramMechanism> MECHANISMS =
            List.of(ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256);

    private final CuratorFramework curator;

    /** @param curator a client in Tributary's namespace (paths as in {@link ZkPaths}) */
    public ScramPasswordVerifier(CuratorFramework curator) {
        this.curator = curator;
    }

    /**
     * Whether {@code password} is the password of {@code user}; false for an unknown user or one
     * without a SCRAM credential.
     *
     * @throws IllegalStateException if ZooKeeper cannot be read
     */
    public boolean verify(String user, String password) {
        Map<String, String> credentials = credentials(user);
        for (ScramMechanism mechanism : MECHANISMS) {
            String stored = credentials.get(mechanism.mechanismName());
            if (stored != null) {
                return matches(mechanism, ScramCredentialUtils.credentialFromString(stored), password);
            }
        }
        return false;
    }

    private Map<String, String> credentials(String user) {
        try {
            return ScramUserConfig.parse(curator.getData().forPath(ZkPaths.user(user)));
        } catch (KeeperException.NoNodeException e) {
            return Map.of();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the credentials of user " + user + " from ZooKeeper", e);
        }
    }

    static boolean matches(ScramMechanism mechanism, ScramCredential credential, String password) {
        if (password.isEmpty()) {
            return false; // an HMAC key cannot be empty, and Kafka never creates such a credential
        }
        try {
            ScramFormatter formatter = new ScramFormatter(mechanism);
            byte[] salted = formatter.saltedPassword(password, credential.salt(), credential.iterations());
            byte[] storedKey = formatter.storedKey(formatter.clientKey(salted));
            return MessageDigest.isEqual(storedKey, credential.storedKey());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("No " + mechanism.hashAlgorithm() + " in this JVM", e);
        }
    }

    /** The credential that {@link #verify} accepts for {@code password}; for tests and bootstrap tools. */
    public static String credentialString(ScramMechanism mechanism, String password, int iterations) {
        try {
            ScramCredential credential = new ScramFormatter(mechanism).generateCredential(password, iterations);
            return ScramCredentialUtils.credentialToString(credential);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
