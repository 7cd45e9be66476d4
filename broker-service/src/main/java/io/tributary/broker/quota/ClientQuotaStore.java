package io.tributary.broker.quota;

import io.tributary.common.zk.ZkCachedTree;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.io.Closeable;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client quotas in ZooKeeper: one persistent znode per entity, {@code /quotas/users/<user>},
 * {@code /quotas/users/<user>/clients/<client-id>} or {@code /quotas/clients/<client-id>} (Kafka's
 * ZooKeeper-mode layout under our own root, names URL-encoded, {@code <default>} for a default
 * entity), holding Kafka's config JSON {@code {"version":1,"config":{"producer_byte_rate":"1024"}}}.
 * Every broker keeps a cache of {@code /quotas} ({@link ZkCachedTree}) and rebuilds an immutable
 * {@link QuotaConfigs} on each change, so a quota altered through any broker applies on all within
 * moments and enforcement reads memory only.
 *
 * <p>{@link #alter} and {@link #read} are blocking ZooKeeper calls: call them off the event loops.
 * Thread-safe.
 */
public final class ClientQuotaStore implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientQuotaStore.class);
    private static final String USERS = ZkPaths.QUOTAS + "/users";
    private static final String CLIENTS = ZkPaths.QUOTAS + "/clients";

    private final CuratorFramework curator;
    private final ZkCachedTree tree;
    private volatile QuotaConfigs configs = QuotaConfigs.EMPTY;

    /** The znode's JSON (Kafka's entity config format; values are strings there). */
    record EntityConfig(int version, Map<String, String> config) {}

    public ClientQuotaStore(CuratorFramework curator) {
        this.curator = curator;
        this.tree = new ZkCachedTree(curator, ZkPaths.QUOTAS, this::rebuild);
    }

    /** Every quota, as of the last change this broker has seen. */
    QuotaConfigs configs() {
        return configs;
    }

    /** Every quota, read from ZooKeeper itself (what DescribeClientQuotas answers: it sees its own alters). */
    QuotaConfigs read() throws Exception {
        Map<QuotaEntity, Map<String, Double>> entities = new HashMap<>();
        for (String user : children(USERS)) {
            String userPath = USERS + "/" + user;
            put(entities, userPath, curator.getData().forPath(userPath));
            for (String client : children(userPath + "/clients")) {
                String path = userPath + "/clients/" + client;
                put(entities, path, curator.getData().forPath(path));
            }
        }
        for (String client : children(CLIENTS)) {
            put(entities, CLIENTS + "/" + client, curator.getData().forPath(CLIENTS + "/" + client));
        }
        return new QuotaConfigs(entities);
    }

    private java.util.List<String> children(String path) throws Exception {
        try {
            return curator.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return java.util.List.of();
        }
    }

    /**
     * Sets and removes keys of {@code entity}'s quotas in one compare-and-set (retried when another
     * broker changed the entity meanwhile). An entity left without quotas keeps its (emptied) znode
     * only while it is the parent of a user's client-id entities.
     */
    void alter(QuotaEntity entity, Map<String, Double> set, java.util.Set<String> remove) throws Exception {
        tree.update(path(entity), bytes -> {
            Map<String, String> config = new TreeMap<>(parse(bytes));
            remove.forEach(config::remove);
            set.forEach((key, value) -> config.put(key, format(key, value)));
            return config.isEmpty() ? null : ZkJson.toBytes(new EntityConfig(1, config));
        });
        LOG.info("Client quotas of {} changed: set {}, removed {}", entity, set, remove);
    }

    private void rebuild(ZkCachedTree tree) {
        Map<QuotaEntity, Map<String, Double>> entities = new HashMap<>();
        tree.nodes().forEach(data -> put(entities, data.getPath(), data.getData()));
        configs = new QuotaConfigs(entities);
        LOG.debug("Client quotas now set on {} entities", entities.size());
    }

    private static void put(Map<QuotaEntity, Map<String, Double>> entities, String path, byte[] data) {
        QuotaEntity entity = entity(path);
        if (entity == null || data == null || data.length == 0) {
            return;
        }
        try {
            Map<String, Double> values = new TreeMap<>();
            parse(data).forEach((key, value) -> {
                if (QuotaType.forKey(key).isPresent()) {
                    values.put(key, Double.parseDouble(value));
                }
            });
            if (!values.isEmpty()) {
                entities.put(entity, values);
            }
        } catch (RuntimeException e) {
            LOG.warn("Ignoring unreadable client quotas at {}: {}", path, e.toString());
        }
    }

    /** The znode of {@code entity}. */
    static String path(QuotaEntity entity) {
        if (entity.user() == null) {
            return CLIENTS + "/" + encode(entity.clientId());
        }
        String user = USERS + "/" + encode(entity.user());
        return entity.clientId() == null ? user : user + "/clients/" + encode(entity.clientId());
    }

    /** The entity a znode stands for, or {@code null} for the intermediate znodes. */
    static QuotaEntity entity(String path) {
        if (!path.startsWith(ZkPaths.QUOTAS + "/")) {
            return null;
        }
        String[] parts = path.substring(ZkPaths.QUOTAS.length() + 1).split("/");
        if (parts.length == 2 && parts[0].equals("users")) {
            return new QuotaEntity(decode(parts[1]), null);
        }
        if (parts.length == 2 && parts[0].equals("clients")) {
            return new QuotaEntity(null, decode(parts[1]));
        }
        if (parts.length == 4 && parts[0].equals("users") && parts[2].equals("clients")) {
            return new QuotaEntity(decode(parts[1]), decode(parts[3]));
        }
        return null;
    }

    /** A name as a path segment: URL-encoded, which turns a name's '<' into %3C, so only a default is {@code <default>}. */
    private static String encode(String name) {
        return name.equals(QuotaEntity.DEFAULT) ? name : URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static String decode(String segment) {
        return segment.equals(QuotaEntity.DEFAULT) ? segment : URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    /** Byte rates as Kafka writes its LONG keys ({@code 1024}), the percentage as a double. */
    private static String format(String key, double value) {
        return QuotaType.forKey(key).map(QuotaType::integral).orElse(false)
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static Map<String, String> parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Map.of(); // a user's znode made as the parent of its client-id entities
        }
        EntityConfig config = ZkJson.fromBytes(bytes, EntityConfig.class);
        return config.config() == null ? Map.of() : config.config();
    }

    @Override
    public void close() {
        tree.close();
    }
}
