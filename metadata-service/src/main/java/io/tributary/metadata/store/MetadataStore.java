package io.tributary.metadata.store;

import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.ControllerRecord;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct (uncached) reads of the cluster metadata in ZooKeeper. Reads from one Curator client
 * see that client's own earlier writes, so an instance that just deleted a topic never shows
 * it again. Thread-safe.
 */
public class MetadataStore {

    private static final Logger log = LoggerFactory.getLogger(MetadataStore.class);

    private final CuratorFramework curator;

    public MetadataStore(CuratorFramework curator) {
        this.curator = curator;
    }

    public CuratorFramework curator() {
        return curator;
    }

    /** The live brokers' registrations, by id. */
    public List<BrokerRegistration> liveBrokers() throws Exception {
        List<BrokerRegistration> brokers = new ArrayList<>();
        for (String child : children(ZkPaths.BROKER_IDS)) {
            try {
                brokers.add(ZkJson.fromBytes(
                        curator.getData().forPath(ZkPaths.BROKER_IDS + "/" + child), BrokerRegistration.class));
            } catch (KeeperException.NoNodeException e) {
                // went away between the listing and the read: not live
            } catch (RuntimeException e) {
                log.warn(
                        "Ignoring unreadable broker registration {}/{}: {}", ZkPaths.BROKER_IDS, child, e.getMessage());
            }
        }
        brokers.sort(Comparator.comparingInt(BrokerRegistration::id));
        return brokers;
    }

    /** Ids of the live brokers: the children of {@code /brokers/ids}. */
    public Set<Integer> liveBrokerIds() throws Exception {
        Set<Integer> ids = new TreeSet<>();
        for (String child : children(ZkPaths.BROKER_IDS)) {
            try {
                ids.add(Integer.parseInt(child));
            } catch (NumberFormatException e) {
                log.warn("Ignoring broker znode with a non-numeric name: {}/{}", ZkPaths.BROKER_IDS, child);
            }
        }
        return ids;
    }

    /** Topic names in alphabetical order. */
    public List<String> topicNames() throws Exception {
        List<String> names = new ArrayList<>(children(ZkPaths.TOPICS));
        names.sort(null);
        return names;
    }

    public Optional<Versioned<TopicRecord>> topic(String name) throws Exception {
        return read(ZkPaths.topic(name), TopicRecord.class);
    }

    public Optional<Versioned<PartitionState>> partitionState(String topic, int partition) throws Exception {
        return read(ZkPaths.partitionState(topic, partition), PartitionState.class);
    }

    public Optional<ControllerRecord> controller() throws Exception {
        return read(ZkPaths.CONTROLLER, ControllerRecord.class).map(Versioned::value);
    }

    /** The current controller epoch, 0 before any controller was elected. */
    public int controllerEpoch() throws Exception {
        return read(ZkPaths.CONTROLLER_EPOCH, Integer.class)
                .map(Versioned::value)
                .orElse(0);
    }

    private <T> Optional<Versioned<T>> read(String path, Class<T> type) throws Exception {
        Stat stat = new Stat();
        try {
            byte[] data = curator.getData().storingStatIn(stat).forPath(path);
            return Optional.of(new Versioned<>(ZkJson.fromBytes(data, type), stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    private List<String> children(String path) throws Exception {
        try {
            return curator.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }
}
