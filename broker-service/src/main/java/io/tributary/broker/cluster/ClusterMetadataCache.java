package io.tributary.broker.cluster;

import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's view of the cluster, fed by ZooKeeper watches on {@code /brokers/ids} and the
 * whole {@code /topics} subtree (Curator's {@link CuratorCache}). Each change rebuilds an
 * immutable {@link ClusterSnapshot} and tells the listeners. A znode whose JSON cannot be read is
 * logged and left out rather than failing the whole view.
 *
 * <p>Thread-safety: {@link #snapshot()} may be called from any thread; the snapshot is
 * replaced atomically. Listeners run on Curator's event thread and must not block.
 */
public class ClusterMetadataCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterMetadataCache.class);

    /** Told after each change of the view. */
    @FunctionalInterface
    public interface Listener {
        void onChange(ClusterSnapshot snapshot);
    }

    private final CuratorCache brokersCache;
    private final CuratorCache topicsCache;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean brokersLoaded = new AtomicBoolean();
    private final AtomicBoolean topicsLoaded = new AtomicBoolean();
    private volatile ClusterSnapshot snapshot = ClusterSnapshot.EMPTY;

    public ClusterMetadataCache(CuratorFramework curator) {
        this.brokersCache = CuratorCache.build(curator, ZkPaths.BROKER_IDS);
        this.topicsCache = CuratorCache.build(curator, ZkPaths.TOPICS);
        brokersCache
                .listenable()
                .addListener(CuratorCacheListener.builder()
                        .forAll((type, oldData, data) -> rebuild())
                        .forInitialized(() -> initialized(brokersLoaded))
                        .build());
        topicsCache
                .listenable()
                .addListener(CuratorCacheListener.builder()
                        .forAll((type, oldData, data) -> rebuild())
                        .forInitialized(() -> initialized(topicsLoaded))
                        .build());
    }

    public void start() {
        brokersCache.start();
        topicsCache.start();
    }

    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    private void initialized(AtomicBoolean loaded) {
        loaded.set(true);
        rebuild();
    }

    private synchronized void rebuild() {
        ClusterSnapshot next =
                ClusterSnapshot.of(readBrokers(), readTopics(), brokersLoaded.get() && topicsLoaded.get());
        snapshot = next;
        for (Listener listener : listeners) {
            try {
                listener.onChange(next);
            } catch (RuntimeException e) {
                log.error("Cluster metadata listener {} failed", listener, e);
            }
        }
    }

    private Map<Integer, BrokerRegistration> readBrokers() {
        Map<Integer, BrokerRegistration> brokers = new HashMap<>();
        brokersCache.stream()
                .filter(node -> isChildOf(node.getPath(), ZkPaths.BROKER_IDS))
                .forEach(node -> {
                    BrokerRegistration broker = parse(node, BrokerRegistration.class);
                    if (broker != null) {
                        brokers.put(broker.id(), broker);
                    }
                });
        return brokers;
    }

    private Map<String, TopicMetadata> readTopics() {
        Map<String, TopicRecord> records = new HashMap<>();
        Map<String, Map<Integer, PartitionState>> states = new HashMap<>();
        Map<String, Map<Integer, Integer>> versions = new HashMap<>();
        topicsCache.stream().forEach(node -> {
            String[] parts = node.getPath().substring(ZkPaths.TOPICS.length()).split("/");
            // "", topic                                  -> /topics/{topic}
            // "", topic, "partitions", p, "state"       -> /topics/{topic}/partitions/{p}/state
            if (parts.length == 2) {
                TopicRecord record = parse(node, TopicRecord.class);
                if (record != null) {
                    records.put(parts[1], record);
                }
            } else if (parts.length == 5 && parts[2].equals("partitions") && parts[4].equals("state")) {
                PartitionState state = parse(node, PartitionState.class);
                if (state != null) {
                    int partition = Integer.parseInt(parts[3]);
                    states.computeIfAbsent(parts[1], t -> new HashMap<>()).put(partition, state);
                    versions.computeIfAbsent(parts[1], t -> new HashMap<>())
                            .put(
                                    partition,
                                    node.getStat() == null ? -1 : node.getStat().getVersion());
                }
            }
        });
        Map<String, TopicMetadata> topics = new HashMap<>();
        records.forEach((name, record) -> topics.put(
                name,
                new TopicMetadata(
                        name, record, states.getOrDefault(name, Map.of()), versions.getOrDefault(name, Map.of()))));
        return topics;
    }

    private static boolean isChildOf(String path, String parent) {
        return path.startsWith(parent + "/") && path.indexOf('/', parent.length() + 1) < 0;
    }

    private static <T> T parse(ChildData node, Class<T> type) {
        byte[] data = node.getData();
        if (data == null || data.length == 0) {
            return null;
        }
        try {
            return ZkJson.fromBytes(data, type);
        } catch (RuntimeException e) {
            log.warn("Ignoring unreadable {} at {}: {}", type.getSimpleName(), node.getPath(), e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        topicsCache.close();
        brokersCache.close();
    }
}
