package io.tributary.metadata.store;

import io.tributary.common.zk.ControllerRecord;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's cached, eventually consistent view of {@code /topics} (topic records and
 * partition states), {@code /brokers/ids} and {@code /controller}, kept by Curator's
 * {@link CuratorCache}s. Every change calls the change hook, which is how the controller learns
 * of new topics, configuration changes and brokers coming and going. Writers never trust the
 * cache: they compare-and-set and re-read on a conflict. Thread-safe.
 */
public class ClusterView implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(ClusterView.class);

    private final CuratorFramework curator;
    private final CuratorCache topics;
    private final CuratorCache brokers;
    private final CuratorCache controller;
    private final CountDownLatch initialized = new CountDownLatch(3);
    private volatile Runnable onChange = () -> {};

    public ClusterView(CuratorFramework curator) {
        this.curator = curator;
        this.topics = CuratorCache.build(curator, ZkPaths.TOPICS);
        this.brokers = CuratorCache.build(curator, ZkPaths.BROKER_IDS);
        this.controller = CuratorCache.build(curator, ZkPaths.CONTROLLER, CuratorCache.Options.SINGLE_NODE_CACHE);
    }

    /** Sets the hook run (on a Curator thread) after any change; it must not block. */
    public void onChange(Runnable hook) {
        this.onChange = hook;
    }

    public void start() throws Exception {
        try {
            curator.create().creatingParentsIfNeeded().forPath(ZkPaths.TOPICS);
        } catch (KeeperException.NodeExistsException e) {
            // created by another instance
        }
        for (CuratorCache cache : new CuratorCache[] {topics, brokers, controller}) {
            cache.listenable()
                    .addListener(CuratorCacheListener.builder()
                            .forAll((type, oldData, data) -> changed())
                            .forInitialized(() -> {
                                initialized.countDown();
                                changed();
                            })
                            .build());
            cache.start();
        }
    }

    /** True once every cache has loaded its initial data. */
    public boolean isInitialized() {
        return initialized.getCount() == 0;
    }

    /** Topic records by name, in name order. */
    public Map<String, TopicRecord> topics() {
        Map<String, TopicRecord> result = new TreeMap<>();
        String prefix = ZkPaths.TOPICS + "/";
        topics.stream()
                .filter(d -> d.getPath().startsWith(prefix) && d.getPath().indexOf('/', prefix.length()) < 0)
                .forEach(d -> decode(d, TopicRecord.class)
                        .ifPresent(t -> result.put(d.getPath().substring(prefix.length()), t)));
        return result;
    }

    public Optional<Versioned<PartitionState>> partitionState(String topic, int partition) {
        return topics.get(ZkPaths.partitionState(topic, partition))
                .flatMap(d -> decode(d, PartitionState.class)
                        .map(s -> new Versioned<>(s, d.getStat().getVersion())));
    }

    /** The live brokers' ids as cached. */
    public Set<Integer> brokerIds() {
        Set<Integer> ids = new TreeSet<>();
        String prefix = ZkPaths.BROKER_IDS + "/";
        brokers.stream().filter(d -> d.getPath().startsWith(prefix)).forEach(d -> {
            try {
                ids.add(Integer.parseInt(d.getPath().substring(prefix.length())));
            } catch (NumberFormatException e) {
                // not a broker id
            }
        });
        return ids;
    }

    /**
     * Partitions whose ISR is smaller than their replica list, and partitions without a leader
     * (offline, or not yet initialised), as cached.
     */
    public PartitionHealth partitionHealth() {
        List<TopicPartition> underReplicated = new ArrayList<>();
        List<TopicPartition> offline = new ArrayList<>();
        int count = 0;
        for (Map.Entry<String, TopicRecord> topic : topics().entrySet()) {
            for (Map.Entry<Integer, List<Integer>> partition :
                    new TreeMap<>(topic.getValue().partitions()).entrySet()) {
                count++;
                TopicPartition tp = new TopicPartition(topic.getKey(), partition.getKey());
                PartitionState state = partitionState(tp.topic(), tp.partition())
                        .map(Versioned::value)
                        .orElse(null);
                if (state == null || !state.isOnline()) {
                    offline.add(tp);
                } else if (state.isr().size() < partition.getValue().size()) {
                    underReplicated.add(tp);
                }
            }
        }
        return new PartitionHealth(count, underReplicated, offline);
    }

    /**
     * A summary of partition health.
     *
     * @param partitions      how many partitions the cluster has
     * @param underReplicated online partitions with fewer in-sync replicas than replicas
     * @param offline         partitions without a leader
     */
    public record PartitionHealth(int partitions, List<TopicPartition> underReplicated, List<TopicPartition> offline) {}

    public Optional<ControllerRecord> controller() {
        return controller.get(ZkPaths.CONTROLLER).flatMap(d -> decode(d, ControllerRecord.class));
    }

    private void changed() {
        try {
            onChange.run();
        } catch (RuntimeException e) {
            log.error("Cluster view change hook failed", e);
        }
    }

    private static <T> Optional<T> decode(ChildData data, Class<T> type) {
        if (data.getData() == null || data.getData().length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZkJson.fromBytes(data.getData(), type));
        } catch (RuntimeException e) {
            log.warn("Ignoring unreadable znode {}: {}", data.getPath(), e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        topics.close();
        brokers.close();
        controller.close();
    }
}
