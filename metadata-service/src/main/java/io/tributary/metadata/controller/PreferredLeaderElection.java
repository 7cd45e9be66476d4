package io.tributary.metadata.controller;

import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.metadata.store.ClusterView;
import io.tributary.metadata.store.ControllerEpoch;
import io.tributary.metadata.store.ControllerFencedException;
import io.tributary.metadata.store.MetadataStore;
import io.tributary.metadata.store.StateConflictException;
import io.tributary.metadata.store.TopicGoneException;
import io.tributary.metadata.store.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Preferred leader election: moves the leadership of partitions back to their preferred (first
 * assigned) replica where the rules of {@link PartitionLeaderElector#preferred} allow it, that is
 * where that replica is live, usable and in the ISR. The controller runs it on request and, with
 * automatic leader rebalancing, every imbalance check interval.
 *
 * <p>Each partition's current state is read from ZooKeeper, and so is its topic when the cache does
 * not have it yet; a lost compare-and-set is re-read and decided again.
 *
 * <p><b>Threading:</b> the controller event thread only, as the {@link PartitionStateWriter}.
 */
final class PreferredLeaderElection {

    private final MetadataStore store;
    private final ClusterView view;
    private final PartitionStateWriter writer;

    PreferredLeaderElection(MetadataStore store, ClusterView view, PartitionStateWriter writer) {
        this.store = store;
        this.view = view;
        this.writer = writer;
    }

    /**
     * Elects the preferred leader of each of {@code requested}, or of every partition when it is
     * {@code null}.
     *
     * @param live    ids of the live brokers
     * @param offline the replicas the live brokers cannot serve
     * @throws ControllerFencedException when {@code epoch} is no longer the current controller epoch
     */
    List<PreferredElectionResult> run(
            ControllerEpoch epoch, Set<TopicPartition> requested, Set<Integer> live, OfflineReplicas offline)
            throws Exception {
        Map<String, TopicRecord> topics = view.topics();
        List<TopicPartition> targets = new ArrayList<>();
        if (requested == null) {
            topics.forEach((name, record) -> record.partitions().keySet().stream()
                    .sorted()
                    .forEach(p -> targets.add(new TopicPartition(name, p))));
        } else {
            targets.addAll(requested);
        }
        List<PreferredElectionResult> results = new ArrayList<>();
        for (TopicPartition tp : targets) {
            results.add(elect(epoch, tp, topics.get(tp.topic()), offline.usable(live, tp.topic(), tp.partition())));
        }
        return results;
    }

    private PreferredElectionResult elect(
            ControllerEpoch epoch, TopicPartition tp, TopicRecord cached, Set<Integer> live) throws Exception {
        TopicRecord record = cached;
        if (record == null) {
            record = store.topic(tp.topic()).map(Versioned::value).orElse(null);
        }
        if (record == null || !record.partitions().containsKey(tp.partition())) {
            return new PreferredElectionResult(tp.topic(), tp.partition(), Errors.UNKNOWN_TOPIC_OR_PARTITION, -1);
        }
        List<Integer> replicas = record.replicas(tp.partition());
        Optional<Versioned<PartitionState>> current = store.partitionState(tp.topic(), tp.partition());
        for (int attempt = 0; attempt < PartitionStateWriter.MAX_CAS_ATTEMPTS; attempt++) {
            PartitionLeaderElector.Outcome outcome =
                    PartitionLeaderElector.preferred(current.map(Versioned::value), replicas, live, epoch.epoch());
            int leader = current.map(v -> v.value().leader()).orElse(PartitionState.NO_LEADER);
            if (outcome.next() == null) {
                return new PreferredElectionResult(tp.topic(), tp.partition(), outcome.error(), leader);
            }
            try {
                writer.write(epoch, tp.topic(), record, tp.partition(), current, outcome.next());
                return new PreferredElectionResult(
                        tp.topic(), tp.partition(), Errors.NONE, outcome.next().leader());
            } catch (StateConflictException e) {
                current = store.partitionState(tp.topic(), tp.partition());
            } catch (TopicGoneException e) {
                return new PreferredElectionResult(tp.topic(), tp.partition(), Errors.UNKNOWN_TOPIC_OR_PARTITION, -1);
            }
        }
        return new PreferredElectionResult(tp.topic(), tp.partition(), Errors.UNKNOWN_SERVER_ERROR, -1);
    }
}
