package io.tributary.metadata.controller;

import io.tributary.common.config.TopicConfigs;
import io.tributary.common.zk.ControllerRecord;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.metadata.store.ClusterView;
import io.tributary.metadata.store.ControllerEpoch;
import io.tributary.metadata.store.ControllerEpochStore;
import io.tributary.metadata.store.ControllerFencedException;
import io.tributary.metadata.store.MetadataStore;
import io.tributary.metadata.store.PartitionStateStore;
import io.tributary.metadata.store.StateConflictException;
import io.tributary.metadata.store.TopicGoneException;
import io.tributary.metadata.store.Versioned;
import java.io.Closeable;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.ThreadUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: while this instance holds the controller election it keeps every
 * partition's leader and ISR right (see {@link PartitionLeaderElector}) as topics appear and
 * brokers come and go, and moves leadership back to preferred replicas
 * ({@link PreferredLeaderElection}).
 *
 * <p>Level-triggered: any change in the {@link ClusterView} schedules one reconciliation pass
 * (coalesced) that compares every partition with the live brokers. Live brokers are read
 * directly from ZooKeeper, never from the cache, so a stale cache cannot make live brokers
 * look dead. Every state write is fenced by the controller epoch ({@link PartitionStateWriter});
 * a fenced write makes this instance resign at once.
 *
 * <p>Threading: all controller work runs on one event thread; {@link #elected} and
 * {@link #deposed} may be called from any thread. Being deposed takes effect immediately
 * (the next check of {@link #isActive} fails), before the event thread notices.
 */
public final class ClusterController implements ControllerElection.Listener, Closeable {

    private static final Logger log = LoggerFactory.getLogger(ClusterController.class);

    private final MetadataStore store;
    private final ControllerEpochStore epochs;
    private final ClusterView view;
    private final Duration imbalanceCheckInterval;
    private final boolean autoLeaderRebalance;
    private final Duration requestTimeout;
    private final ScheduledExecutorService events =
            Executors.newSingleThreadScheduledExecutor(ThreadUtils.createThreadFactory("controller-event", true));
    private final AtomicBoolean reconcilePending = new AtomicBoolean();
    private final PartitionStateWriter writer;
    private final PreferredLeaderElection preferredElection;
    /** Offline log directories per broker as last logged (event thread only). */
    private final Map<Integer, List<String>> reportedOffline = new HashMap<>();

    private volatile ControllerEpoch active;
    private long generation;
    private volatile ControllerElection election;
    private volatile String instanceId = "";
    private ScheduledFuture<?> rebalanceTask;
    private String host;
    private int httpPort;

    public ClusterController(
            MetadataStore store,
            PartitionStateStore states,
            ControllerEpochStore epochs,
            ClusterView view,
            boolean autoLeaderRebalance,
            Duration imbalanceCheckInterval,
            Duration requestTimeout) {
        this.store = store;
        this.epochs = epochs;
        this.view = view;
        this.writer = new PartitionStateWriter(states, view);
        this.preferredElection = new PreferredLeaderElection(store, view, writer);
        this.autoLeaderRebalance = autoLeaderRebalance;
        this.imbalanceCheckInterval = imbalanceCheckInterval;
        this.requestTimeout = requestTimeout;
    }

    /** Joins the controller election as {@code instanceId}, reachable over HTTP at host:port. */
    public void start(String instanceId, String host, int httpPort) throws Exception {
        this.instanceId = instanceId;
        this.host = host;
        this.httpPort = httpPort;
        view.onChange(this::onClusterChange);
        ControllerElection created = new ControllerElection(store.curator(), instanceId, this);
        election = created;
        created.start();
        log.info("Metadata-service instance {} joined the controller election", instanceId);
    }

    public String instanceId() {
        return instanceId;
    }

    /**
     * True while this instance is the controller. False from the moment the ZooKeeper
     * connection drops, before Curator has delivered the connection-state event.
     */
    public boolean isActive() {
        return active != null && store.curator().getZookeeperClient().isConnected();
    }

    private boolean isActing(ControllerEpoch epoch) {
        return active == epoch && store.curator().getZookeeperClient().isConnected();
    }

    /** The epoch this instance acts with while it is controller. */
    public Optional<ControllerEpoch> activeEpoch() {
        return isActive() ? Optional.ofNullable(active) : Optional.empty();
    }

    @Override
    public void elected() {
        events.execute(this::becomeController);
    }

    @Override
    public void deposed(String reason) {
        ControllerEpoch was;
        synchronized (this) {
            generation++;
            was = active;
            active = null;
        }
        if (was != null) {
            log.warn("Controller {} (epoch {}) stops acting: {}", instanceId, was.epoch(), reason);
            events.execute(this::stopActing);
        }
    }

    private void becomeController() {
        ControllerElection current = election;
        if (current == null || !current.hasLeadership() || active != null) {
            return;
        }
        long startedIn;
        synchronized (this) {
            startedIn = generation;
        }
        ControllerEpoch claimed;
        try {
            claimed = epochs.claim(epoch -> new ControllerRecord(instanceId, epoch, host, httpPort));
        } catch (Exception e) {
            log.error("Controller {} could not claim the controller epoch; resigning", instanceId, e);
            current.resign("could not claim the controller epoch");
            return;
        }
        boolean stillLeader = current.hasLeadership();
        synchronized (this) {
            if (generation != startedIn || !stillLeader) {
                log.warn("Controller {} lost the election while claiming epoch {}", instanceId, claimed.epoch());
                return;
            }
            active = claimed;
        }
        writer.clear();
        log.info("Metadata-service instance {} is controller with epoch {}", instanceId, claimed.epoch());
        if (autoLeaderRebalance) {
            long millis = imbalanceCheckInterval.toMillis();
            rebalanceTask = events.scheduleWithFixedDelay(this::autoRebalance, millis, millis, TimeUnit.MILLISECONDS);
        }
        reconcile();
    }

    private void stopActing() {
        if (rebalanceTask != null) {
            rebalanceTask.cancel(false);
            rebalanceTask = null;
        }
        writer.clear();
    }

    /** A write was fenced: another controller exists, so stop and re-enter as a standby. */
    private void fenced(ControllerEpoch stale) {
        ControllerElection current = election;
        if (current != null) {
            current.resign("controller epoch " + stale.epoch() + " was superseded");
        } else {
            deposed("controller epoch " + stale.epoch() + " was superseded");
        }
    }

    /** Called on a Curator thread after any cached change: never blocks. */
    private void onClusterChange() {
        ControllerEpoch epoch = active;
        if (epoch == null) {
            return;
        }
        int recorded = view.controller().map(ControllerRecord::controllerEpoch).orElse(0);
        if (recorded > epoch.epoch()) {
            // another instance claimed a newer epoch: stop now, before any write can even be tried
            deposed("controller epoch " + recorded + " is above this controller's " + epoch.epoch());
            events.execute(() -> {
                ControllerElection current = election;
                if (active == null && current != null && current.hasLeadership()) {
                    // still holding the latch: give it up so the election and the epoch agree again
                    fenced(epoch);
                }
            });
            return;
        }
        requestReconcile();
    }

    private void requestReconcile() {
        if (active != null && reconcilePending.compareAndSet(false, true)) {
            events.execute(() -> {
                reconcilePending.set(false);
                reconcile();
            });
        }
    }

    /** One pass over every partition: initialise new ones, move leaders off dead brokers. */
    private void reconcile() {
        ControllerEpoch epoch = active;
        if (epoch == null || !view.isInitialized()) {
            return;
        }
        try {
            Set<Integer> live = store.liveBrokerIds();
            OfflineReplicas offline = offlineReplicas();
            Set<String> seen = new HashSet<>();
            for (Map.Entry<String, TopicRecord> topic : view.topics().entrySet()) {
                TopicRecord record = topic.getValue();
                boolean unclean = uncleanEnabled(topic.getKey(), record);
                for (Map.Entry<Integer, List<Integer>> partition :
                        record.partitions().entrySet()) {
                    if (!isActing(epoch)) {
                        return;
                    }
                    seen.add(PartitionStateWriter.key(record, partition.getKey()));
                    reconcilePartition(
                            epoch,
                            topic.getKey(),
                            record,
                            partition.getKey(),
                            partition.getValue(),
                            offline.usable(live, topic.getKey(), partition.getKey()),
                            unclean);
                }
            }
            writer.retainOnly(seen);
        } catch (ControllerFencedException e) {
            log.warn("Controller {}: {}", instanceId, e.getMessage());
            fenced(epoch);
        } catch (Exception e) {
            log.error("Controller {} reconciliation failed; retrying on the next change", instanceId, e);
            if (active == epoch) {
                events.schedule(this::requestReconcile, 1, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The replicas the live brokers report in offline log directories; logs each broker's report
     * once, when it first names a directory.
     */
    private OfflineReplicas offlineReplicas() throws Exception {
        OfflineReplicas offline = OfflineReplicas.of(store.liveBrokers());
        offline.reports().forEach((broker, dirs) -> {
            if (!dirs.equals(reportedOffline.get(broker))) {
                log.warn(
                        "Broker {} reports log directories {} offline with replicas {}: they leave the ISR and"
                                + " leaders there are replaced by other in-sync replicas",
                        broker,
                        dirs,
                        offline.replicasOf(broker));
            }
        });
        reportedOffline.clear();
        reportedOffline.putAll(offline.reports());
        return offline;
    }

    private void reconcilePartition(
            ControllerEpoch epoch,
            String topic,
            TopicRecord record,
            int partition,
            List<Integer> replicas,
            Set<Integer> live,
            boolean unclean)
            throws Exception {
        Optional<Versioned<PartitionState>> current = writer.known(topic, record, partition);
        for (int attempt = 0; attempt < PartitionStateWriter.MAX_CAS_ATTEMPTS; attempt++) {
            Optional<PartitionState> next = PartitionLeaderElector.decide(
                    current.map(Versioned::value), replicas, live, unclean, epoch.epoch());
            if (next.isEmpty()) {
                return;
            }
            try {
                writer.write(epoch, topic, record, partition, current, next.get());
                return;
            } catch (StateConflictException e) {
                current = store.partitionState(topic, partition);
            } catch (TopicGoneException e) {
                return;
            }
        }
        log.warn(
                "Partition {}-{}: gave up after {} conflicting writes; retrying on the next change",
                topic,
                partition,
                PartitionStateWriter.MAX_CAS_ATTEMPTS);
    }

    private static boolean uncleanEnabled(String topic, TopicRecord record) {
        try {
            return TopicConfigs.uncleanLeaderElectionEnabled(record.configs());
        } catch (RuntimeException e) {
            log.warn("Topic {} has an unreadable unclean.leader.election.enable; treating it as false", topic);
            return false;
        }
    }

    private void autoRebalance() {
        if (active == null) {
            return;
        }
        try {
            long moved = runPreferredElection(null).stream()
                    .filter(r -> r.error() == Errors.NONE)
                    .count();
            if (moved > 0) {
                log.info("Auto leader rebalance moved {} partition(s) back to their preferred leader", moved);
            }
        } catch (NotControllerException e) {
            // deposed meanwhile
        } catch (Exception e) {
            log.error("Auto leader rebalance failed", e);
        }
    }

    /**
     * Elects the preferred replica as leader of the given partitions, or of every partition when
     * {@code partitions} is {@code null}.
     *
     * @throws NotControllerException when this instance is not the controller
     */
    public List<PreferredElectionResult> electPreferredLeaders(Set<TopicPartition> partitions) {
        if (!isActive()) {
            throw new NotControllerException("Instance " + instanceId + " is not the controller");
        }
        Future<List<PreferredElectionResult>> result = events.submit(() -> runPreferredElection(partitions));
        try {
            return result.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.TimeoutException("Interrupted while waiting for the controller");
        } catch (TimeoutException e) {
            result.cancel(false);
            throw new org.apache.kafka.common.errors.TimeoutException(
                    "The controller did not finish the election within " + requestTimeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw new IllegalStateException("Preferred leader election failed", e.getCause());
        }
    }

    private List<PreferredElectionResult> runPreferredElection(Set<TopicPartition> requested) throws Exception {
        ControllerEpoch epoch = active;
        if (epoch == null) {
            throw new NotControllerException("Instance " + instanceId + " is not the controller");
        }
        Set<Integer> live = store.liveBrokerIds();
        OfflineReplicas offline = offlineReplicas();
        try {
            return preferredElection.run(epoch, requested, live, offline);
        } catch (ControllerFencedException e) {
            fenced(epoch);
            throw e;
        }
    }

    @Override
    public void close() {
        ControllerEpoch was = active;
        ControllerElection current = election;
        if (current != null) {
            current.close();
        }
        if (was != null) {
            epochs.release(was);
        }
        events.shutdownNow();
        try {
            events.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
