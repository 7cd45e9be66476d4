package io.tributary.broker.security;

import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.io.Closeable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramCredentialUtils;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users' SCRAM credentials in ZooKeeper, salted as Kafka stores them: one persistent znode per
 * user, {@code /config/users/<url-encoded name>}, holding
 * {@code {"version":1,"config":{"SCRAM-SHA-512":"salt=...,stored_key=...,server_key=...,iterations=4096"}}}
 * (kafka-clients' {@code ScramCredentialUtils} format; no password is ever stored). Every broker
 * keeps a {@link CuratorCache} of {@code /config/users}, so a credential altered through any
 * broker is seen by all within moments, and the SASL exchange reads memory, never ZooKeeper.
 *
 * <p>Writes ({@link #upsert}, {@link #delete}) are blocking ZooKeeper calls: call them off the
 * event loops. Thread-safe.
 */
public final class ScramCredentialStore implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ScramCredentialStore.class);

    private final CuratorFramework curator;
    private final CuratorCache cache;

    /** The znode's JSON. */
    record UserConfig(int version, Map<String, String> config) {}

    public ScramCredentialStore(CuratorFramework curator) {
        this.curator = curator;
        this.cache = CuratorCache.build(curator, ZkPaths.USERS);
        cache.start();
    }

    /** The user's credential for {@code mechanism}, from the cache. */
    public Optional<ScramCredential> credential(String user, ScramMechanism mechanism) {
        return cache.get(ZkPaths.user(user))
                .map(ScramCredentialStore::parse)
                .map(config -> config.get(mechanism.mechanismName()))
                .map(ScramCredentialUtils::credentialFromString);
    }

    /**
     * The user's credential read from ZooKeeper itself (blocking), for a check at start, when the
     * cache may not have loaded yet.
     */
    public Optional<ScramCredential> credentialFromZookeeper(String user, ScramMechanism mechanism) throws Exception {
        try {
            return Optional.ofNullable(
                            parse(curator.getData().forPath(ZkPaths.user(user))).get(mechanism.mechanismName()))
                    .map(ScramCredentialUtils::credentialFromString);
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    /** Every user with credentials: name → mechanism → iterations, from the cache. */
    public Map<String, Map<ScramMechanism, Integer>> describe() {
        Map<String, Map<ScramMechanism, Integer>> users = new TreeMap<>();
        cache.stream()
                .filter(data -> data.getPath().startsWith(ZkPaths.USERS + "/"))
                .forEach(data -> {
                    String user = URLDecoder.decode(
                            data.getPath().substring(ZkPaths.USERS.length() + 1), StandardCharsets.UTF_8);
                    Map<ScramMechanism, Integer> mechanisms = new TreeMap<>();
                    parse(data).forEach((name, credential) -> {
                        ScramMechanism mechanism = ScramMechanism.forMechanismName(name);
                        if (mechanism != null) {
                            mechanisms.put(
                                    mechanism,
                                    ScramCredentialUtils.credentialFromString(credential)
                                            .iterations());
                        }
                    });
                    if (!mechanisms.isEmpty()) {
                        users.put(user, mechanisms);
                    }
                });
        return users;
    }

    /** Sets the user's credential for {@code mechanism} (a read-modify-write with a version check). */
    public void upsert(String user, ScramMechanism mechanism, ScramCredential credential) throws Exception {
        update(
                user,
                config -> config.put(mechanism.mechanismName(), ScramCredentialUtils.credentialToString(credential)));
        LOG.info("Set the {} credential of user {}", mechanism.mechanismName(), user);
    }

    /** Removes the user's credential for {@code mechanism}; false if it had none. */
    public boolean delete(String user, ScramMechanism mechanism) throws Exception {
        boolean[] removed = {false};
        update(user, config -> removed[0] = config.remove(mechanism.mechanismName()) != null);
        if (removed[0]) {
            LOG.info("Deleted the {} credential of user {}", mechanism.mechanismName(), user);
        }
        return removed[0];
    }

    private void update(String user, java.util.function.Consumer<Map<String, String>> change) throws Exception {
        String path = ZkPaths.user(user);
        while (true) {
            org.apache.zookeeper.data.Stat stat = new org.apache.zookeeper.data.Stat();
            Map<String, String> config = new TreeMap<>();
            boolean exists;
            try {
                config.putAll(parse(curator.getData().storingStatIn(stat).forPath(path)));
                exists = true;
            } catch (KeeperException.NoNodeException e) {
                exists = false;
            }
            change.accept(config);
            byte[] bytes = ZkJson.toBytes(new UserConfig(1, config));
            try {
                if (exists) {
                    curator.setData().withVersion(stat.getVersion()).forPath(path, bytes);
                } else {
                    curator.create().creatingParentsIfNeeded().forPath(path, bytes);
                }
                return;
            } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
                // another broker changed the same user meanwhile: read again
            }
        }
    }

    private static Map<String, String> parse(ChildData data) {
        return data.getData() == null || data.getData().length == 0 ? Map.of() : parse(data.getData());
    }

    private static Map<String, String> parse(byte[] bytes) {
        UserConfig config = ZkJson.fromBytes(bytes, UserConfig.class);
        return config.config() == null ? Map.of() : config.config();
    }

    @Override
    public void close() {
        cache.close();
    }
}
