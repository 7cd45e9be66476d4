package io.tributary.broker.logdir;

import io.tributary.broker.cluster.BrokerRegistrar;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.storage.log.LogManager;
import io.tributary.storage.log.PartitionLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.ThreadUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the replicas of an offline log directory to the controller (Kafka's log-dir failure
 * handling, in ZooKeeper mode a log-dir event notification). When a directory goes offline, every
 * replica in it stops being served here ({@link ReplicaManager#takeOffline}) and the broker's
 * registration names the directory and those replicas ({@link BrokerRegistrar#reportOffline}),
 * so that the controller takes them out of the ISR and elects new leaders among the other
 * in-sync replicas. A directory comes back only with a restart, which registers anew.
 *
 * <p>The log manager is polled rather than called back: an I/O error can surface on any thread
 * that touches a log (an append, a flush, the cleaner, a checkpoint), under that log's lock, and
 * this keeps the ZooKeeper write and the role changes off all of them, in one place.
 *
 * <p>Thread-safety: all work runs on its own single thread.
 */
public final class LogDirFailureHandler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogDirFailureHandler.class);

    /** How often the log directories are checked: bounds how late leadership starts to move. */
    public static final long CHECK_INTERVAL_MS = 250;

    private final LogManager logManager;
    private final ReplicaManager replicaManager;
    private final BrokerRegistrar registrar;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            ThreadUtils.createThreadFactory("log-dir-failure-handler", true));
    private final Set<Path> handled = new HashSet<>();

    public LogDirFailureHandler(LogManager logManager, ReplicaManager replicaManager, BrokerRegistrar registrar) {
        this.logManager = logManager;
        this.replicaManager = replicaManager;
        this.registrar = registrar;
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::check, CHECK_INTERVAL_MS, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Handles directories that went offline since the last check. */
    void check() {
        try {
            Set<Path> offline = logManager.offlineLogDirs();
            if (handled.containsAll(offline)) {
                return;
            }
            List<Path> newlyOffline =
                    offline.stream().filter(d -> !handled.contains(d)).sorted().toList();
            handled.addAll(offline);
            Map<String, List<Integer>> replicas = replicasByTopic(handled);
            List<TopicPartition> lost = replicasIn(newlyOffline);
            replicaManager.takeOffline(lost);
            registrar.reportOffline(
                    handled.stream().sorted().map(Path::toString).toList(), replicas);
            log.warn(
                    "Replicas {} of offline log directory {} are no longer served here; reported to the controller,"
                            + " which moves their leadership to other in-sync replicas (they return when this broker"
                            + " restarts with the directory healthy)",
                    lost,
                    newlyOffline.size() == 1 ? newlyOffline.get(0) : newlyOffline);
        } catch (RuntimeException e) {
            log.error("Could not handle the offline log directories; retrying", e);
        }
    }

    private Map<String, List<Integer>> replicasByTopic(Set<Path> dirs) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : replicasIn(List.copyOf(dirs))) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        return byTopic;
    }

    private List<TopicPartition> replicasIn(List<Path> dirs) {
        List<TopicPartition> replicas = new ArrayList<>();
        for (PartitionLog partitionLog : logManager.allLogs()) {
            if (dirs.contains(partitionLog.dir().toPath().getParent())) {
                replicas.add(partitionLog.topicPartition());
            }
        }
        replicas.sort((a, b) -> a.toString().compareTo(b.toString()));
        return replicas;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
