package io.tributary.broker.security;

import io.tributary.common.security.ScramUserConfig;
import io.tributary.common.zk.ZkCachedTree;
import io.tributary.common.zk.ZkPaths;
import java.io.Closeable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramCredentialUtils;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users' SCRAM credentials in ZooKeeper, salted as Kafka stores them: one persistent znode per
 * user, {@code /config/users/<url-encoded name>}, holding
 * {@code {"version":1,"config":{"SCRAM-SHA-512":"salt=...,stored_key=...,server_key=...,iterations=4096"}}}
 * ({@link ScramUserConfig}; no password is ever stored). Every broker
 * keeps a cache of {@code /config/users} ({@link ZkCachedTree}), so a credential altered through any
 * broker is seen by all within moments, and the SASL exchange reads memory, never ZooKeeper.
 *
 * <p>Writes ({@link #upsert}, {@link #delete}) are blocking ZooKeeper calls: call them off the
 * event loops. Thread-safe.
 */
public final class ScramCredentialStore implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ScramCredentialStore.class);

    private final ZkCachedTree users;

    public ScramCredentialStore(CuratorFramework curator) {
        this.users = new ZkCachedTree(curator, ZkPaths.USERS, null);
    }

    /** The user's credential for {@code mechanism}, from the cache. */
    public Optional<ScramCredential> credential(String user, ScramMechanism mechanism) {
        return users.node(ZkPaths.user(user)).flatMap(data -> ScramUserConfig.credential(data.getData(), mechanism));
    }

    /**
     * The user's credential read from ZooKeeper itself (blocking), for a check at start, when the
     * cache may not have loaded yet.
     */
    public Optional<ScramCredential> credentialFromZookeeper(String user, ScramMechanism mechanism) throws Exception {
        return users.read(ZkPaths.user(user)).flatMap(bytes -> ScramUserConfig.credential(bytes, mechanism));
    }

    /** Every user with credentials: name → mechanism → iterations, from the cache. */
    public Map<String, Map<ScramMechanism, Integer>> describe() {
        Map<String, Map<ScramMechanism, Integer>> described = new TreeMap<>();
        users.nodes()
                .filter(data -> data.getPath().startsWith(ZkPaths.USERS + "/"))
                .forEach(data -> {
                    String user = URLDecoder.decode(
                            data.getPath().substring(ZkPaths.USERS.length() + 1), StandardCharsets.UTF_8);
                    Map<ScramMechanism, Integer> mechanisms = new TreeMap<>();
                    ScramUserConfig.parse(data.getData()).forEach((name, credential) -> {
                        ScramMechanism mechanism = ScramMechanism.forMechanismName(name);
                        if (mechanism != null) {
                            mechanisms.put(
                                    mechanism,
                                    ScramCredentialUtils.credentialFromString(credential)
                                            .iterations());
                        }
                    });
                    if (!mechanisms.isEmpty()) {
                        described.put(user, mechanisms);
                    }
                });
        return described;
    }

    /** Sets the user's credential for {@code mechanism} (a read-modify-write with a version check). */
    public void upsert(String user, ScramMechanism mechanism, ScramCredential credential) throws Exception {
        users.update(ZkPaths.user(user), bytes -> {
            Map<String, String> config = ScramUserConfig.parse(bytes);
            config.put(mechanism.mechanismName(), ScramCredentialUtils.credentialToString(credential));
            return ScramUserConfig.toBytes(config);
        });
        LOG.info("Set the {} credential of user {}", mechanism.mechanismName(), user);
    }

    /** Removes the user's credential for {@code mechanism} (and the user's znode with its last); false if it had none. */
    public boolean delete(String user, ScramMechanism mechanism) throws Exception {
        AtomicBoolean removed = new AtomicBoolean();
        users.update(ZkPaths.user(user), bytes -> {
            Map<String, String> config = ScramUserConfig.parse(bytes);
            removed.set(config.remove(mechanism.mechanismName()) != null);
            return ScramUserConfig.toBytes(config);
        });
        if (removed.get()) {
            LOG.info("Deleted the {} credential of user {}", mechanism.mechanismName(), user);
        }
        return removed.get();
    }

    @Override
    public void close() {
        users.close();
    }
}
