package io.tributary.broker.group;

import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.utils.ThreadUtils;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Where a consumer group lives. Clients see only brokers: the group's coordinator broker is a
 * stable hash of the group id over the live brokers (what FindCoordinator answers). That broker
 * relays the group's requests to the group-coordinator instance that owns the group's partition
 * ({@link GroupPartitionOwner#partitionOf}) as its ownership znode
 * {@code /group_coordinators/partitions/{p}} says, watched through a Curator cache. A partition
 * without an owner (mid hand-over, or its owner died and nobody has claimed it yet) has no
 * owner here: the relay answers COORDINATOR_NOT_AVAILABLE and the client retries; an owner
 * that has just lost the partition answers NOT_COORDINATOR itself, and the client rediscovers.
 * The hashes are murmur2, as Kafka uses for keys, so every broker computes the same answer.
 *
 * <p>The list of every live instance (for ListGroups) comes from Spring Cloud Zookeeper
 * discovery, which must not be read on a request thread: it is refreshed in the background every
 * {@value #REFRESH_MS} ms. Thread-safe.
 */
public class GroupCoordinatorLocator implements AutoCloseable {

    public static final String SERVICE_NAME = "group-coordinator";
    /** Discovery metadata key under which a group-coordinator publishes its Kafka-protocol port. */
    public static final String KAFKA_PORT_METADATA = "kafkaPort";

    static final long REFRESH_MS = 1000;

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinatorLocator.class);

    private final ClusterMetadataCache cache;
    private final int localBrokerId;
    private final DiscoveryClient discovery;
    private final CuratorCache owners;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            ThreadUtils.createThreadFactory("group-coordinator-discovery", true));
    private final Map<String, Integer> syntheticIds = new HashMap<>();
    private volatile List<Node> instances = List.of();

    public GroupCoordinatorLocator(
            ClusterMetadataCache cache, int localBrokerId, DiscoveryClient discovery, CuratorFramework curator) {
        this.cache = cache;
        this.localBrokerId = localBrokerId;
        this.discovery = discovery;
        this.owners = CuratorCache.build(curator, ZkPaths.GROUP_PARTITIONS);
        owners.start();
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_MS, TimeUnit.MILLISECONDS);
    }

    /** The broker that coordinates {@code groupId}, or empty when no broker is live. */
    public Optional<BrokerRegistration> coordinatorBroker(String groupId) {
        List<BrokerRegistration> brokers = List.copyOf(cache.snapshot().liveBrokers());
        if (brokers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(brokers.get(Utils.toPositive(hash(groupId)) % brokers.size()));
    }

    /** Whether this broker coordinates {@code groupId}. */
    public boolean isLocal(String groupId) {
        return coordinatorBroker(groupId).map(b -> b.id() == localBrokerId).orElse(false);
    }

    /** The group-coordinator instance serving {@code groupId}'s partition, or empty when none does. */
    public Optional<Node> owner(String groupId) {
        return ownerOfPartition(GroupPartitionOwner.partitionOf(groupId));
    }

    /** The group-coordinator instance serving group partition {@code partition}, or empty when none does. */
    public Optional<Node> ownerOfPartition(int partition) {
        return owners.get(ZkPaths.groupPartition(partition))
                .flatMap(data -> parse(data.getData()))
                .filter(owner -> !owner.isReleased() && owner.kafkaPort() > 0)
                .map(owner -> node(owner.host(), owner.kafkaPort()));
    }

    private static Optional<GroupPartitionOwner> parse(byte[] data) {
        try {
            return data == null || data.length == 0
                    ? Optional.empty()
                    : Optional.of(ZkJson.fromBytes(data, GroupPartitionOwner.class));
        } catch (RuntimeException e) {
            log.warn("Unreadable group partition owner record: {}", e.toString());
            return Optional.empty();
        }
    }

    /** Every live group-coordinator instance. */
    public List<Node> allInstances() {
        return instances;
    }

    private static int hash(String groupId) {
        return Utils.murmur2(groupId.getBytes(StandardCharsets.UTF_8));
    }

    private void refresh() {
        try {
            List<ServiceInstance> found = discovery.getInstances(SERVICE_NAME).stream()
                    .filter(i -> i.getMetadata().containsKey(KAFKA_PORT_METADATA))
                    .sorted(Comparator.comparing(ServiceInstance::getInstanceId))
                    .toList();
            List<Node> nodes = found.stream().map(this::toNode).toList();
            if (!nodes.equals(instances)) {
                log.info("Group coordinators: {}", nodes);
            }
            instances = nodes;
        } catch (RuntimeException e) {
            log.debug("Could not list group coordinators; keeping {}", instances, e);
        }
    }

    /** NetworkClient keys connections by node id: give each instance a stable, unique one. */
    private Node toNode(ServiceInstance instance) {
        return node(instance.getHost(), Integer.parseInt(instance.getMetadata().get(KAFKA_PORT_METADATA)));
    }

    private synchronized Node node(String host, int port) {
        String key = host + ":" + port;
        int id = syntheticIds.computeIfAbsent(key, k -> Integer.MAX_VALUE - 1000 - syntheticIds.size());
        return new Node(id, host, port);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        owners.close();
    }
}
