package io.tributary.group.ownership;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.kafka.common.utils.ThreadUtils;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which consumer groups this group-coordinator instance serves. Groups are spread over
 * {@link GroupPartitionOwner#PARTITIONS} group partitions; each partition has a persistent
 * ownership znode ({@code /group_coordinators/partitions/{p}}) naming its owner and an epoch, and
 * every live instance has an ephemeral registration ({@code /group_coordinators/instances/{id}}).
 *
 * <p><b>Assignment.</b> Partition {@code p} belongs to the {@code p mod n}-th of the {@code n}
 * live instances in id order. An instance claims a partition assigned to it by a compare-and-set
 * that writes the epoch it read plus one, but only when the partition is released, or owned by
 * an instance that is no longer registered (dead: its session expired), or by an earlier life of
 * itself. An owner that is no longer assigned a partition first stops serving it, then releases
 * it (owner cleared, same epoch), and the new assignee claims it: a hand-over never has two
 * servers.
 *
 * <p><b>Fencing.</b> This instance serves a partition only from its own successful claim until
 * the first of: the znode shows another owner or another epoch (seen through a watch), it hands
 * the partition over, or its ZooKeeper connection is suspended or lost. Losing the connection
 * drops every partition at once, before the session can expire and another instance can claim
 * them; on reconnection it claims again at a new epoch. Each lost partition is reported to the
 * {@code onLost} callback, which unloads its groups.
 *
 * <p><b>Takeover.</b> A pass first claims every partition it can (ZooKeeper writes only), then
 * hands all of them at once to the {@code onGained} callback, which loads their groups from the
 * shared store in one go, and only then serves them. Claiming and loading one partition after
 * another made the last of an orphaned owner's 25 partitions wait for 24 loads; a partition
 * claimed but not yet served answers NOT_COORDINATOR, and the client asks again.
 *
 * <p>Reconciliation runs on one thread ({@code group-ownership}) after every change under
 * {@code /group_coordinators} and every 5 s. Thread-safe.
 */
public final class GroupOwnership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupOwnership.class);
    private static final long RECONCILE_INTERVAL_MS = 5000;
    private static final String ROOT = "/group_coordinators";

    private final CuratorFramework curator;
    private final String ownershipId;
    private final Consumer<Set<Integer>> onGained;
    private final IntConsumer onLost;
    private final Map<Integer, Long> owned = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker =
            Executors.newSingleThreadScheduledExecutor(ThreadUtils.createThreadFactory("group-ownership", true));
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();
    private final ConnectionStateListener connectionListener = this::connectionChanged;
    private volatile GroupPartitionOwner self;
    private volatile boolean connected;
    private volatile boolean running;
    /** Incremented whenever everything is dropped, so that a claim in flight cannot outlive a suspension. */
    private long connectionGeneration;

    private PersistentNode registration;
    private CuratorCache cache;

    /**
     * @param ownershipId this instance's unique id in the ownership znodes (unique per start)
     * @param onLost      called with each partition this instance stops serving
     */
    public GroupOwnership(CuratorFramework curator, String ownershipId, IntConsumer onLost) {
        this(curator, ownershipId, partitions -> {}, onLost);
    }

    /**
     * @param onGained called with the partitions a reconciliation pass has claimed, all at once,
     *                 before it serves them (loads their state; a failure is logged and the
     *                 partitions served without it)
     */
    public GroupOwnership(
            CuratorFramework curator, String ownershipId, Consumer<Set<Integer>> onGained, IntConsumer onLost) {
        this.curator = curator;
        this.ownershipId = ownershipId;
        this.onGained = onGained;
        this.onLost = onLost;
    }

    /**
     * Registers this instance, advertising where it serves, and claims what it is assigned; waits
     * up to {@code claimWaitMs} for a first reconciliation so that a lone instance serves at once.
     */
    public void start(String host, int kafkaPort, int httpPort, long claimWaitMs) {
        self = new GroupPartitionOwner(ownershipId, 0, host, kafkaPort, httpPort);
        running = true;
        connected = curator.getZookeeperClient().isConnected();
        curator.getConnectionStateListenable().addListener(connectionListener);
        registration = new PersistentNode(
                curator, CreateMode.EPHEMERAL, false, ZkPaths.groupCoordinatorInstance(ownershipId), new byte[0]);
        registration.start();
        cache = CuratorCache.build(curator, ROOT);
        cache.listenable().addListener((type, before, after) -> changed(after != null ? after : before));
        cache.start();
        try {
            registration.waitForInitialCreate(claimWaitMs, TimeUnit.MILLISECONDS);
            worker.submit((Runnable) this::reconcile).get(claimWaitMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Group ownership: no first claim within {} ms ({}); claiming in the background", claimWaitMs, e);
        }
        worker.scheduleWithFixedDelay(
                this::reconcile, RECONCILE_INTERVAL_MS, RECONCILE_INTERVAL_MS, TimeUnit.MILLISECONDS);
        log.info(
                "Group ownership: registered as {} ({}:{}), serving {} partitions",
                ownershipId,
                host,
                kafkaPort,
                owned.size());
    }

    /** Whether this instance serves {@code groupId} now. */
    public boolean ownsGroup(String groupId) {
        return connected && owned.containsKey(GroupPartitionOwner.partitionOf(groupId));
    }

    /** The owner of {@code groupId}'s partition as last seen, if it has one. */
    public Optional<GroupPartitionOwner> ownerOf(String groupId) {
        CuratorCache current = cache;
        if (current == null) {
            return Optional.empty();
        }
        return current.get(ZkPaths.groupPartition(GroupPartitionOwner.partitionOf(groupId)))
                .map(data -> ZkJson.fromBytes(data.getData(), GroupPartitionOwner.class))
                .filter(owner -> !owner.isReleased());
    }

    /** The epoch of this instance's claim of {@code partition}, or null if it does not serve it now. */
    public Long epochOf(int partition) {
        return connected ? owned.get(partition) : null;
    }

    /** The partitions served now, with their epochs. */
    public Map<Integer, Long> ownedPartitions() {
        return connected ? Map.copyOf(owned) : Map.of();
    }

    public String ownershipId() {
        return ownershipId;
    }

    // ---------------------------------------------------------------- events

    private void connectionChanged(CuratorFramework client, ConnectionState state) {
        if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
            connected = false;
            dropAll("ZooKeeper connection " + state);
        } else if (state.isConnected()) {
            connected = true;
            queueReconcile();
        }
    }

    /** A znode under {@code /group_coordinators} changed: a newer claim fences this instance at once. */
    private void changed(ChildData data) {
        if (data != null && data.getPath().startsWith(ZkPaths.GROUP_PARTITIONS + "/") && data.getData() != null) {
            int partition = Integer.parseInt(data.getPath().substring(ZkPaths.GROUP_PARTITIONS.length() + 1));
            Long epoch = owned.get(partition);
            if (epoch != null) {
                GroupPartitionOwner record = parse(data.getData());
                // only a newer epoch fences: an event older than our own claim may still arrive
                if (record.epoch() > epoch) {
                    lose(partition, "fenced by " + describe(record));
                }
            }
        }
        queueReconcile();
    }

    private void queueReconcile() {
        if (running && reconcileQueued.compareAndSet(false, true)) {
            worker.execute(this::reconcile);
        }
    }

    // ---------------------------------------------------------------- reconciliation

    private void reconcile() {
        reconcileQueued.set(false);
        if (!running || !connected) {
            return;
        }
        long generation = generation();
        Map<Integer, Long> claimed = new TreeMap<>();
        try {
            List<String> live = new ArrayList<>(curator.getChildren().forPath(ZkPaths.GROUP_COORDINATOR_INSTANCES));
            Collections.sort(live);
            Pass pass = new Pass(live, new HashSet<>(), claimed);
            int me = live.indexOf(ownershipId);
            List<String> changes = new ArrayList<>();
            for (int p = 0; p < GroupPartitionOwner.PARTITIONS; p++) {
                String change = reconcilePartition(p, me >= 0 && p % live.size() == me, pass);
                if (change != null) {
                    changes.add(change);
                }
            }
            changes.addAll(loadAndServe(claimed, generation));
            logChanges(live.size(), changes);
        } catch (KeeperException.NoNodeException e) {
            queueReconcileLater();
        } catch (Exception e) {
            if (running) { // else close() interrupted it
                log.warn("Group ownership: reconciliation failed, retrying: {}", e.toString());
                queueReconcileLater();
            }
        } finally {
            // a pass that failed after some claims serves them (they are this instance's), as the next would
            if (!claimed.isEmpty()) {
                logChanges(-1, loadAndServe(claimed, generation));
            }
        }
    }

    /**
     * What one reconciliation pass knows: the live instances it read (sorted), the owners it has
     * found dead (each checked once per pass, not once per partition), and its claims so far.
     */
    private record Pass(List<String> live, Set<String> dead, Map<Integer, Long> claimed) {}

    private void logChanges(int liveInstances, List<String> changes) {
        if (!changes.isEmpty()) {
            log.info(
                    "Group ownership: {} of {} live instances, now serving {} partitions; changed: {}",
                    ownershipId,
                    liveInstances < 0 ? "?" : liveInstances,
                    owned.size(),
                    String.join(", ", changes));
        }
    }

    /**
     * Moves one partition towards its assignment; returns what changed ("-p"), or null. A
     * successful claim is added to {@code claimed}, served once the pass has loaded its claims.
     */
    private String reconcilePartition(int partition, boolean assigned, Pass pass) throws Exception {
        Stat stat = new Stat();
        GroupPartitionOwner record = read(partition, stat);
        Long epoch = owned.get(partition);
        if (epoch != null) {
            if (!record.owner().equals(ownershipId) || record.epoch() != epoch) {
                lose(partition, "fenced by " + describe(record));
            } else if (!assigned) {
                // stop serving before the release makes the partition claimable
                lose(partition, null);
                write(partition, record.released(), stat.getVersion());
                return "-" + partition;
            }
            return null;
        }
        boolean claimable = record.isReleased() || record.owner().equals(ownershipId) || isDead(record.owner(), pass);
        if (assigned && claimable) {
            GroupPartitionOwner claim = new GroupPartitionOwner(
                    ownershipId, record.epoch() + 1, self.host(), self.kafkaPort(), self.httpPort());
            if (write(partition, claim, stat.getVersion())) {
                pass.claimed().put(partition, claim.epoch());
            }
        }
        return null;
    }

    /**
     * Loads the claimed partitions in one call, then serves them; returns what changed
     * ("+p@epoch"). A partition is not served if the connection was suspended since {@code
     * generation} (the claim stands, but is served only after a new one) or if a newer claim has
     * been seen meanwhile.
     */
    private List<String> loadAndServe(Map<Integer, Long> claimed, long generation) {
        if (claimed.isEmpty()) {
            return List.of();
        }
        Map<Integer, Long> claims = Map.copyOf(claimed);
        claimed.clear();
        load(claims.keySet());
        List<String> served = new ArrayList<>();
        List<Integer> notServed = new ArrayList<>();
        synchronized (this) {
            boolean current = generation == connectionGeneration && connected;
            new TreeMap<>(claims).forEach((partition, epoch) -> {
                if (current && !claimedSince(partition, epoch)) {
                    owned.put(partition, epoch);
                    served.add("+" + partition + "@" + epoch);
                } else {
                    notServed.add(partition);
                }
            });
        }
        notServed.forEach(onLost::accept); // unloads what the load put in memory
        return served;
    }

    /** Whether the cache shows a claim of {@code partition} newer than this instance's at {@code epoch}. */
    private boolean claimedSince(int partition, long epoch) {
        return cache.get(ZkPaths.groupPartition(partition))
                .map(data -> parse(data.getData()).epoch() > epoch)
                .orElse(false);
    }

    /**
     * Whether {@code owner} is not registered. The list read at the start of this pass may be
     * stale, so a registration it lacks is checked again: taking a partition from a live owner
     * would let two instances serve it until the owner sees the new epoch.
     */
    private boolean isDead(String owner, Pass pass) throws Exception {
        if (pass.live().contains(owner)) {
            return false;
        }
        if (pass.dead().contains(owner)) {
            return true;
        }
        // once per pass: an owner whose registration is gone lost its session and dropped its
        // partitions, even if it registers again meanwhile (it then claims at a new epoch)
        boolean dead = curator.checkExists().forPath(ZkPaths.groupCoordinatorInstance(owner)) == null;
        if (dead) {
            pass.dead().add(owner);
        }
        return dead;
    }

    private GroupPartitionOwner read(int partition, Stat stat) throws Exception {
        String path = ZkPaths.groupPartition(partition);
        try {
            return parse(curator.getData().storingStatIn(stat).forPath(path));
        } catch (KeeperException.NoNodeException e) {
            try {
                curator.create().creatingParentsIfNeeded().forPath(path, ZkJson.toBytes(GroupPartitionOwner.unowned()));
            } catch (KeeperException.NodeExistsException raced) {
                // another instance created it
            }
            return parse(curator.getData().storingStatIn(stat).forPath(path));
        }
    }

    /** Compare-and-set on the znode version; a lost race is retried by the next reconciliation. */
    private boolean write(int partition, GroupPartitionOwner record, int version) throws Exception {
        try {
            curator.setData().withVersion(version).forPath(ZkPaths.groupPartition(partition), ZkJson.toBytes(record));
            return true;
        } catch (KeeperException.BadVersionException e) {
            queueReconcile();
            return false;
        }
    }

    /**
     * Loads claimed partitions. A store that is down fails the load after its connection
     * timeout; the partitions are served without their stored state then (KIP-848 members of
     * their groups rejoin, as without a stored state).
     */
    private void load(Set<Integer> partitions) {
        try {
            onGained.accept(partitions);
        } catch (RuntimeException e) {
            log.warn(
                    "Group ownership: loading partitions {} failed, serving them without: {}",
                    sorted(partitions),
                    e.toString());
        }
    }

    private static List<Integer> sorted(Set<Integer> partitions) {
        return partitions.stream().sorted().toList();
    }

    private void queueReconcileLater() {
        if (running) {
            worker.schedule(this::queueReconcile, 1, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- losing partitions

    private synchronized long generation() {
        return connectionGeneration;
    }

    /** Stops serving {@code partition}; logs {@code why} unless it is null (a hand-over, logged with the others). */
    private void lose(int partition, String why) {
        Long epoch;
        synchronized (this) {
            epoch = owned.remove(partition);
        }
        if (epoch != null) {
            if (why != null) {
                log.warn("Group ownership: stopped serving partition {} (epoch {}): {}", partition, epoch, why);
            }
            onLost.accept(partition);
        }
    }

    private void dropAll(String why) {
        List<Integer> dropped;
        synchronized (this) {
            connectionGeneration++;
            dropped = List.copyOf(owned.keySet());
            owned.clear();
        }
        if (!dropped.isEmpty()) {
            if (running) {
                log.warn("Group ownership: stopped serving all {} partitions: {}", dropped.size(), why);
            } else {
                log.info("Group ownership: stopped serving all {} partitions: {}", dropped.size(), why);
            }
            dropped.forEach(onLost::accept);
        }
    }

    private static GroupPartitionOwner parse(byte[] data) {
        return data == null || data.length == 0
                ? GroupPartitionOwner.unowned()
                : ZkJson.fromBytes(data, GroupPartitionOwner.class);
    }

    private static String describe(GroupPartitionOwner record) {
        return record.isReleased() ? "released at epoch " + record.epoch() : record.owner() + "@" + record.epoch();
    }

    /**
     * Stops serving and releases every owned partition, so that the other instances take them
     * over now rather than after this session expires; then deregisters.
     */
    @Override
    public void close() {
        running = false;
        worker.shutdownNow();
        List<Integer> releasing = List.copyOf(owned.keySet());
        dropAll("shutting down");
        for (int partition : releasing) {
            try {
                Stat stat = new Stat();
                GroupPartitionOwner record = read(partition, stat);
                if (record.owner().equals(ownershipId)) {
                    write(partition, record.released(), stat.getVersion());
                }
            } catch (Exception e) {
                log.debug("Group ownership: could not release partition {}: {}", partition, e.toString());
            }
        }
        curator.getConnectionStateListenable().removeListener(connectionListener);
        if (cache != null) {
            cache.close();
        }
        if (registration != null) {
            try {
                registration.close();
            } catch (Exception e) {
                log.debug("Group ownership: deregistration failed: {}", e.toString());
            }
        }
    }
}
