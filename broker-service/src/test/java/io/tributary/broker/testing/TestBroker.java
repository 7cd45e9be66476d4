package io.tributary.broker.testing;

import static org.awaitility.Awaitility.await;

import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.broker.producer.ProducerStateProperties;
import io.tributary.broker.replication.ReplicaFetcherConfig;
import io.tributary.broker.replication.ReplicaFetcherManager;
import io.tributary.broker.replication.ZkIsrWriter;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import io.tributary.storage.log.LogManager;
import io.tributary.storage.log.LogManagerConfig;
import io.tributary.storage.log.PartitionLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.kafka.common.TopicPartition;
import org.apache.zookeeper.CreateMode;

/**
 * One broker's core wired as {@code BrokerServerConfiguration} wires it, without Spring or a
 * listener: a real {@link LogManager} over a test directory, the {@link ClusterMetadataCache}
 * on a real ZooKeeper (a {@code TestingServer}) feeding a {@link ReplicaManager}, whose ISR
 * writes and replica fetchers are the real ones. Tests play the controller by writing topic and
 * partition-state znodes with the helpers here.
 *
 * <p>Every broker core test builds its {@code ReplicaManager} here, so a change of its wiring is
 * one edit.
 */
public final class TestBroker implements AutoCloseable {

    public static final Duration AWAIT = Duration.ofSeconds(10);

    private final ReplicaFetcherManager fetchers;
    private final int brokerId;
    private final CuratorFramework curator;
    private final ClusterMetadataCache cache;
    private final LogManager logManager;
    private final ReplicaManager replicaManager;
    private final RequestHandlerPool requestHandlers = new RequestHandlerPool(2);

    /**
     * @param namespace           the Curator namespace (a chroot): brokers sharing one form a cluster
     * @param clock               the replica manager's clock (follower lag, ISR shrink)
     * @param replicaLagTimeMaxMs {@code replica.lag.time.max.ms}
     */
    public TestBroker(
            int brokerId,
            String zkConnect,
            String namespace,
            Path logDir,
            Clock clock,
            long replicaLagTimeMaxMs,
            int defaultMinInsyncReplicas) {
        this(brokerId, zkConnect, namespace, logDir, clock, replicaLagTimeMaxMs, defaultMinInsyncReplicas, 1);
    }

    /** @param numReplicaFetchers {@code num.replica.fetchers} */
    public TestBroker(
            int brokerId,
            String zkConnect,
            String namespace,
            Path logDir,
            Clock clock,
            long replicaLagTimeMaxMs,
            int defaultMinInsyncReplicas,
            int numReplicaFetchers) {
        this(
                brokerId,
                zkConnect,
                namespace,
                logDir,
                clock,
                replicaLagTimeMaxMs,
                defaultMinInsyncReplicas,
                numReplicaFetchers,
                ProducerStateProperties.DEFAULTS);
    }

    /** @param producerState {@code producer.id.expiration.ms} and its check interval */
    public TestBroker(
            int brokerId,
            String zkConnect,
            String namespace,
            Path logDir,
            Clock clock,
            long replicaLagTimeMaxMs,
            int defaultMinInsyncReplicas,
            int numReplicaFetchers,
            ProducerStateProperties producerState) {
        this.brokerId = brokerId;
        this.curator = CuratorFrameworkFactory.builder()
                .connectString(zkConnect)
                .namespace(namespace)
                .retryPolicy(new RetryOneTime(100))
                .build();
        curator.start();
        this.cache = new ClusterMetadataCache(curator);
        this.logManager = LogManager.start(LogManagerConfig.of(List.of(logDir)), Clock.systemUTC());
        this.fetchers = new ReplicaFetcherManager(
                brokerId,
                cache,
                () -> new KafkaProtocolClient("broker-" + brokerId + "-replica-fetcher", Duration.ofSeconds(5)),
                ReplicaFetcherConfig.DEFAULTS.withNumFetchers(numReplicaFetchers));
        this.replicaManager = new ReplicaManager(
                brokerId,
                logManager,
                clock,
                defaultMinInsyncReplicas,
                fetchers,
                new ZkIsrWriter(curator),
                replicaLagTimeMaxMs,
                producerState);
        cache.addListener(replicaManager);
        cache.start();
        await().atMost(AWAIT).until(() -> cache.snapshot().initialized());
    }

    public TestBroker(int brokerId, String zkConnect, String namespace, Path logDir) {
        this(brokerId, zkConnect, namespace, logDir, Clock.systemUTC(), 30_000, 1);
    }

    public ReplicaFetcherManager fetchers() {
        return fetchers;
    }

    public int brokerId() {
        return brokerId;
    }

    public CuratorFramework curator() {
        return curator;
    }

    public ClusterMetadataCache cache() {
        return cache;
    }

    public LogManager logManager() {
        return logManager;
    }

    /** The pool the produce and follower-fetch handlers hand their blocking work to. */
    public RequestHandlerPool requestHandlers() {
        return requestHandlers;
    }

    public ReplicaManager replicaManager() {
        return replicaManager;
    }

    public Optional<PartitionLog> log(TopicPartition tp) {
        return logManager.getLog(tp);
    }

    // ---- playing the controller ----

    /** Writes the topic znode (metadata-service's part); returns the topic id. */
    public UUID createTopic(String name, Map<Integer, List<Integer>> assignment, Map<String, String> configs)
            throws Exception {
        UUID topicId = UUID.randomUUID();
        writeTopic(name, new TopicRecord(topicId, assignment, configs));
        return topicId;
    }

    public void writeTopic(String name, TopicRecord record) throws Exception {
        if (curator.checkExists().forPath(ZkPaths.topic(name)) == null) {
            curator.create().creatingParentsIfNeeded().forPath(ZkPaths.topic(name), ZkJson.toBytes(record));
        } else {
            curator.setData().forPath(ZkPaths.topic(name), ZkJson.toBytes(record));
        }
    }

    /** Writes a partition's state znode (the controller's part), creating it if needed. */
    public void writeState(String topic, int partition, PartitionState state) throws Exception {
        String path = ZkPaths.partitionState(topic, partition);
        if (curator.checkExists().forPath(path) == null) {
            curator.create().creatingParentsIfNeeded().forPath(path, ZkJson.toBytes(state));
        } else {
            curator.setData().forPath(path, ZkJson.toBytes(state));
        }
    }

    public PartitionState readState(String topic, int partition) throws Exception {
        return ZkJson.fromBytes(
                curator.getData().forPath(ZkPaths.partitionState(topic, partition)), PartitionState.class);
    }

    public void deleteTopic(String name) throws Exception {
        curator.delete().deletingChildrenIfNeeded().forPath(ZkPaths.topic(name));
    }

    /** Registers a broker (as {@code BrokerRegistrar} does) listening on {@code kafkaPort}. */
    public void registerBroker(int id, int kafkaPort) throws Exception {
        curator.create()
                .creatingParentsIfNeeded()
                .withMode(CreateMode.EPHEMERAL)
                .forPath(
                        ZkPaths.broker(id),
                        ZkJson.toBytes(new BrokerRegistration(id, "127.0.0.1", kafkaPort, 0, null, 0L)));
    }

    /** A single-partition topic on this broker alone, led by it in epoch 0; returns its partition. */
    public Partition createLedTopic(String name, Map<String, String> configs) throws Exception {
        createTopic(name, Map.of(0, List.of(brokerId)), configs);
        writeState(name, 0, new PartitionState(brokerId, 0, List.of(brokerId), 1));
        return awaitPartition(new TopicPartition(name, 0), Partition::isLeader);
    }

    /** Waits until the replica manager holds {@code tp} in a state matching {@code condition}. */
    public Partition awaitPartition(TopicPartition tp, Predicate<Partition> condition) {
        return await().atMost(AWAIT)
                .until(() -> replicaManager.localPartition(tp).filter(condition), Optional::isPresent)
                .orElseThrow();
    }

    @Override
    public void close() throws Exception {
        try {
            requestHandlers.close();
            replicaManager.close();
        } finally {
            cache.close();
            logManager.shutdown();
            curator.close();
        }
    }
}
