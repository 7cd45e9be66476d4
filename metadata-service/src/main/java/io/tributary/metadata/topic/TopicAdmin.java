package io.tributary.metadata.topic;

import io.tributary.common.config.TopicConfigs;
import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import io.tributary.metadata.store.MetadataStore;
import io.tributary.metadata.store.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic administration on any metadata-service instance: every write is one ZooKeeper
 * transaction with a compare-and-set, so instances need not coordinate and concurrent writers
 * cannot both win.
 * <ul>
 * <li>Create writes {@code /topics/{name}} and its partition parents in one transaction that
 * also bumps the data version of {@code /topics}: creates are serialised cluster-wide, so the
 * duplicate and {@code .}/{@code _} collision checks made just before cannot be raced. The
 * controller then initialises the partition states.</li>
 * <li>Delete removes the whole subtree in one transaction: the topic vanishes at once.</li>
 * <li>Partition increases and config changes compare-and-set the topic znode.</li>
 * </ul>
 * Failures are Kafka's {@link org.apache.kafka.common.errors.ApiException}s. Thread-safe.
 */
public class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
    private static final int MAX_ATTEMPTS = 50;
    private static final long READY_POLL_MILLIS = 25;

    private final CuratorFramework curator;
    private final MetadataStore store;
    private final ReplicaAssigner assigner;
    private final int defaultPartitions;
    private final int defaultReplicationFactor;
    private final Duration readyTimeout;

    public TopicAdmin(
            MetadataStore store,
            ReplicaAssigner assigner,
            int defaultPartitions,
            int defaultReplicationFactor,
            Duration readyTimeout) {
        this.curator = store.curator();
        this.store = store;
        this.assigner = assigner;
        this.defaultPartitions = defaultPartitions;
        this.defaultReplicationFactor = defaultReplicationFactor;
        this.readyTimeout = readyTimeout;
    }

    /**
     * What to create. {@code assignment} excludes {@code partitions} and
     * {@code replicationFactor}; a missing or -1 count means the configured default.
     */
    public record NewTopic(
            String name,
            Integer partitions,
            Integer replicationFactor,
            Map<Integer, List<Integer>> assignment,
            Map<String, String> configs,
            boolean validateOnly) {}

    public TopicDescription create(NewTopic request) throws Exception {
        String name = validName(request.name());
        Map<String, String> configs = TopicConfigs.validate(request.configs());
        List<BrokerRegistration> brokers = store.liveBrokers();
        Map<Integer, List<Integer>> assignment;
        if (request.assignment() != null && !request.assignment().isEmpty()) {
            if (isSet(request.partitions()) || isSet(request.replicationFactor())) {
                throw new InvalidRequestException(
                        "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }
            assignment = validAssignment(request.assignment(), 0, -1, brokers);
        } else {
            int partitions = isSet(request.partitions()) ? request.partitions() : defaultPartitions;
            int replicationFactor =
                    isSet(request.replicationFactor()) ? request.replicationFactor() : defaultReplicationFactor;
            if (partitions < 1) {
                throw new InvalidPartitionsException("Number of partitions must be larger than 0.");
            }
            if (replicationFactor < 1) {
                throw new InvalidReplicationFactorException("Replication factor must be larger than 0.");
            }
            assignment = assigner.assign(brokers, partitions, replicationFactor, -1, 0);
        }
        if (request.validateOnly()) {
            checkNoCollision(name, store.topicNames());
            return describe(name, new TopicRecord(null, assignment, configs), Map.of());
        }
        TopicRecord record = new TopicRecord(UUID.randomUUID(), assignment, configs);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Stat topicsStat = curator.checkExists().forPath(ZkPaths.TOPICS);
            if (topicsStat == null) {
                ensureTopicsRoot();
                continue;
            }
            checkNoCollision(name, curator.getChildren().forPath(ZkPaths.TOPICS));
            List<CuratorOp> ops = new ArrayList<>();
            // bumping /topics' version serialises creates, making the collision check atomic
            ops.add(curator.transactionOp()
                    .setData()
                    .withVersion(topicsStat.getVersion())
                    .forPath(ZkPaths.TOPICS, new byte[0]));
            ops.add(curator.transactionOp().create().forPath(ZkPaths.topic(name), ZkJson.toBytes(record)));
            ops.add(curator.transactionOp().create().forPath(ZkPaths.partitions(name), new byte[0]));
            for (int partition : assignment.keySet()) {
                ops.add(curator.transactionOp().create().forPath(ZkPaths.partition(name, partition), new byte[0]));
            }
            try {
                curator.transaction().forOperations(ops);
                log.info(
                        "Created topic {} (id {}) with {} partition(s), replicas {}, configs {}",
                        name,
                        record.topicId(),
                        assignment.size(),
                        assignment,
                        configs);
                awaitLeaders(name, record.topicId(), assignment.keySet());
                return describe(name);
            } catch (KeeperException.NodeExistsException e) {
                throw topicExists(name);
            } catch (KeeperException.BadVersionException e) {
                log.debug("Topic create {} raced with another create; retrying", name);
                backOff(attempt);
            }
        }
        throw new IllegalStateException("Could not create topic " + name + ": too many concurrent creates");
    }

    public List<String> list() throws Exception {
        return store.topicNames();
    }

    public TopicDescription describe(String name) throws Exception {
        TopicRecord record = store.topic(name).map(Versioned::value).orElseThrow(() -> unknownTopic(name));
        Map<Integer, PartitionState> states = new TreeMap<>();
        for (int partition : record.partitions().keySet()) {
            store.partitionState(name, partition).ifPresent(s -> states.put(partition, s.value()));
        }
        return describe(name, record, states);
    }

    private static TopicDescription describe(String name, TopicRecord record, Map<Integer, PartitionState> states) {
        List<PartitionDescription> partitions = new ArrayList<>();
        new TreeMap<>(record.partitions()).forEach((partition, replicas) -> {
            PartitionState state = states.get(partition);
            partitions.add(
                    state == null
                            ? new PartitionDescription(partition, replicas, PartitionState.NO_LEADER, -1, List.of())
                            : new PartitionDescription(
                                    partition, replicas, state.leader(), state.leaderEpoch(), state.isr()));
        });
        return new TopicDescription(name, record.topicId(), partitions, new TreeMap<>(record.configs()));
    }

    /** Deletes the topic's whole subtree in one transaction. */
    public void delete(String name) throws Exception {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            List<String> subtree = new ArrayList<>();
            try {
                collectPostOrder(ZkPaths.topic(name), subtree);
            } catch (KeeperException.NoNodeException e) {
                if (curator.checkExists().forPath(ZkPaths.topic(name)) == null) {
                    throw unknownTopic(name);
                }
                continue;
            }
            List<CuratorOp> ops = new ArrayList<>();
            for (String path : subtree) {
                ops.add(curator.transactionOp().delete().forPath(path));
            }
            try {
                curator.transaction().forOperations(ops);
                log.info("Deleted topic {}", name);
                return;
            } catch (KeeperException.NotEmptyException | KeeperException.NoNodeException e) {
                // a state znode appeared or another delete won: look again
            }
        }
        throw new IllegalStateException("Could not delete topic " + name + ": its znodes kept changing");
    }

    /** Raises the topic's partition count to {@code totalCount}. */
    public TopicDescription createPartitions(
            String name, Integer totalCount, Map<Integer, List<Integer>> assignment, boolean validateOnly)
            throws Exception {
        if (totalCount == null) {
            throw new InvalidRequestException("totalCount is required");
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Versioned<TopicRecord> current = store.topic(name).orElseThrow(() -> unknownTopic(name));
            TopicRecord record = current.value();
            int existing = record.partitionCount();
            if (totalCount == existing) {
                throw new InvalidPartitionsException("Topic already has " + existing + " partitions.");
            }
            if (totalCount < existing) {
                throw new InvalidPartitionsException("Topic currently has " + existing
                        + " partitions, which is higher than the requested " + totalCount + ".");
            }
            List<BrokerRegistration> brokers = store.liveBrokers();
            int replicationFactor = record.replicas(0).size();
            Map<Integer, List<Integer>> added;
            if (assignment != null && !assignment.isEmpty()) {
                added = validAssignment(assignment, existing, totalCount - existing, brokers);
                if (added.values().stream().anyMatch(r -> r.size() != replicationFactor)) {
                    throw new InvalidReplicaAssignmentException(
                            "New partitions must have the topic's replication factor " + replicationFactor);
                }
            } else {
                List<Integer> ids =
                        brokers.stream().map(BrokerRegistration::id).sorted().toList();
                int startIndex = record.replicas(0).isEmpty()
                        ? -1
                        : ids.indexOf(record.replicas(0).get(0));
                added = assigner.assign(
                        brokers,
                        totalCount - existing,
                        replicationFactor,
                        brokers.stream()
                                        .allMatch(b ->
                                                b.rack() == null || b.rack().isBlank())
                                ? startIndex
                                : -1,
                        existing);
            }
            Map<Integer, List<Integer>> partitions = new TreeMap<>(record.partitions());
            partitions.putAll(added);
            TopicRecord updated = new TopicRecord(record.topicId(), partitions, record.configs());
            if (validateOnly) {
                return describe(name, updated, Map.of());
            }
            List<CuratorOp> ops = new ArrayList<>();
            ops.add(curator.transactionOp()
                    .setData()
                    .withVersion(current.version())
                    .forPath(ZkPaths.topic(name), ZkJson.toBytes(updated)));
            for (int partition : added.keySet()) {
                ops.add(curator.transactionOp().create().forPath(ZkPaths.partition(name, partition), new byte[0]));
            }
            try {
                curator.transaction().forOperations(ops);
                log.info("Topic {}: partitions {} -> {}, new replicas {}", name, existing, totalCount, added);
                awaitLeaders(name, record.topicId(), added.keySet());
                return describe(name);
            } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
                log.debug("Partition increase of {} raced with another change; retrying", name);
                backOff(attempt);
            } catch (KeeperException.NoNodeException e) {
                throw unknownTopic(name);
            }
        }
        throw new IllegalStateException("Could not add partitions to " + name + ": too many concurrent changes");
    }

    /** The topic's effective configuration: overrides plus defaults. */
    public List<TopicConfigEntry> configs(String name) throws Exception {
        TopicRecord record = store.topic(name).map(Versioned::value).orElseThrow(() -> unknownTopic(name));
        return entries(record.configs());
    }

    /** Sets and removes overrides; answers the effective configuration afterwards. */
    public List<TopicConfigEntry> alterConfigs(
            String name, Map<String, String> set, Collection<String> delete, boolean validateOnly) throws Exception {
        Map<String, String> toSet = TopicConfigs.validate(set);
        Set<String> toDelete = new HashSet<>(delete == null ? List.of() : delete);
        for (String key : toDelete) {
            if (TopicConfigs.entry(key).isEmpty()) {
                throw new InvalidConfigurationException("Unknown topic config name: " + key);
            }
            if (toSet.containsKey(key)) {
                throw new InvalidRequestException("Config " + key + " is both set and deleted");
            }
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Versioned<TopicRecord> current = store.topic(name).orElseThrow(() -> unknownTopic(name));
            Map<String, String> overrides = new TreeMap<>(current.value().configs());
            overrides.putAll(toSet);
            overrides.keySet().removeAll(toDelete);
            if (validateOnly) {
                return entries(overrides);
            }
            TopicRecord updated =
                    new TopicRecord(current.value().topicId(), current.value().partitions(), overrides);
            try {
                curator.setData().withVersion(current.version()).forPath(ZkPaths.topic(name), ZkJson.toBytes(updated));
                log.info(
                        "Topic {}: config overrides {} -> {}",
                        name,
                        current.value().configs(),
                        overrides);
                return entries(overrides);
            } catch (KeeperException.BadVersionException e) {
                log.debug("Config change of {} raced with another change; retrying", name);
                backOff(attempt);
            } catch (KeeperException.NoNodeException e) {
                throw unknownTopic(name);
            }
        }
        throw new IllegalStateException("Could not alter configs of " + name + ": too many concurrent changes");
    }

    private static List<TopicConfigEntry> entries(Map<String, String> overrides) {
        List<TopicConfigEntry> entries = new ArrayList<>();
        TopicConfigs.entries()
                .forEach((key, entry) -> entries.add(
                        overrides.containsKey(key)
                                ? new TopicConfigEntry(
                                        key,
                                        overrides.get(key),
                                        TopicConfigEntry.SOURCE_TOPIC,
                                        entry.type().name())
                                : new TopicConfigEntry(
                                        key,
                                        entry.defaultValue(),
                                        TopicConfigEntry.SOURCE_DEFAULT,
                                        entry.type().name())));
        return entries;
    }

    /** Waits, briefly, for the controller to give the new partitions a state. */
    private void awaitLeaders(String name, UUID topicId, Set<Integer> partitions) throws Exception {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        Set<Integer> pending = new HashSet<>(partitions);
        while (!pending.isEmpty()) {
            Optional<Versioned<TopicRecord>> topic = store.topic(name);
            if (topic.isEmpty() || !topic.get().value().topicId().equals(topicId)) {
                return;
            }
            for (var it = pending.iterator(); it.hasNext(); ) {
                if (store.partitionState(name, it.next()).isPresent()) {
                    it.remove();
                }
            }
            if (pending.isEmpty() || System.nanoTime() > deadline) {
                return;
            }
            Thread.sleep(READY_POLL_MILLIS);
        }
    }

    /** A short random pause so that writers that keep colliding spread out. */
    private static void backOff(int attempt) throws InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L + Math.min(attempt, 10) * 5L));
    }

    private void collectPostOrder(String path, List<String> out) throws Exception {
        for (String child : curator.getChildren().forPath(path)) {
            collectPostOrder(path + "/" + child, out);
        }
        out.add(path);
    }

    private void ensureTopicsRoot() throws Exception {
        try {
            curator.create().creatingParentsIfNeeded().forPath(ZkPaths.TOPICS);
        } catch (KeeperException.NodeExistsException e) {
            // created concurrently
        }
    }

    private static String validName(String name) {
        if (name == null) {
            throw new InvalidTopicException("Topic name is required");
        }
        Topic.validate(name);
        return name;
    }

    private static void checkNoCollision(String name, Collection<String> existing) {
        if (existing.contains(name)) {
            throw topicExists(name);
        }
        if (Topic.hasCollisionChars(name)) {
            for (String other : existing) {
                if (Topic.hasCollision(name, other)) {
                    throw new InvalidTopicException("Topic '" + name + "' collides with existing topic: " + other);
                }
            }
        }
    }

    /**
     * Checks an explicit assignment for partitions {@code first..first+count-1} ({@code count}
     * -1: any number from {@code first}): consecutive numbers, one replication factor, distinct
     * live brokers.
     */
    private static Map<Integer, List<Integer>> validAssignment(
            Map<Integer, List<Integer>> assignment, int first, int count, List<BrokerRegistration> brokers) {
        Set<Integer> live = new HashSet<>();
        brokers.forEach(b -> live.add(b.id()));
        Map<Integer, List<Integer>> sorted = new TreeMap<>(assignment);
        if (count >= 0 && sorted.size() != count) {
            throw new InvalidReplicaAssignmentException("Increasing the number of partitions by " + count + " but "
                    + sorted.size() + " assignments provided.");
        }
        int expected = first;
        int replicationFactor = -1;
        Map<Integer, List<Integer>> result = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Integer>> entry : sorted.entrySet()) {
            if (entry.getKey() != expected++) {
                throw new InvalidReplicaAssignmentException(
                        "Partitions should be consecutive and start from " + first + ": " + sorted.keySet());
            }
            List<Integer> replicas = entry.getValue();
            if (replicas == null || replicas.isEmpty()) {
                throw new InvalidReplicaAssignmentException("Partition " + entry.getKey() + " has no replicas");
            }
            if (new HashSet<>(replicas).size() != replicas.size()) {
                throw new InvalidReplicaAssignmentException(
                        "Duplicate brokers not allowed in replica assignment: " + replicas);
            }
            if (replicationFactor >= 0 && replicas.size() != replicationFactor) {
                throw new InvalidReplicaAssignmentException("All partitions should have the same number of replicas");
            }
            replicationFactor = replicas.size();
            for (int broker : replicas) {
                if (!live.contains(broker)) {
                    throw new InvalidReplicaAssignmentException(
                            "Unknown broker " + broker + " in replica assignment; live brokers: " + live);
                }
            }
            result.put(entry.getKey(), List.copyOf(replicas));
        }
        return result;
    }

    private static boolean isSet(Integer value) {
        return value != null && value != -1;
    }

    private static TopicExistsException topicExists(String name) {
        return new TopicExistsException("Topic '" + name + "' already exists.");
    }

    private static UnknownTopicOrPartitionException unknownTopic(String name) {
        return new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist.");
    }
}
