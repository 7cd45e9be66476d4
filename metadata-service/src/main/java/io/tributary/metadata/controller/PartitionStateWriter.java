package io.tributary.metadata.controller;

import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.metadata.store.ClusterView;
import io.tributary.metadata.store.ControllerEpoch;
import io.tributary.metadata.store.ControllerFencedException;
import io.tributary.metadata.store.PartitionStateStore;
import io.tributary.metadata.store.StateConflictException;
import io.tributary.metadata.store.TopicGoneException;
import io.tributary.metadata.store.Versioned;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's partition-state writes and its memory of them. Each write is fenced by the
 * controller epoch and compares-and-sets the state's version ({@link PartitionStateStore}), and is
 * logged once with the change. A state written here is newer than the {@link ClusterView} for a
 * moment, until the cache sees the write, so it is remembered and {@link #known} answers it instead
 * of the cache's older version: the next decision then starts from it rather than losing a
 * compare-and-set against this controller's own write.
 *
 * <p><b>Threading:</b> the controller event thread only.
 */
final class PartitionStateWriter {

    private static final Logger log = LoggerFactory.getLogger(PartitionStateWriter.class);

    /** Compare-and-sets a decision may lose (re-read and decided again each time) before it waits for the next change. */
    static final int MAX_CAS_ATTEMPTS = 5;

    private final PartitionStateStore states;
    private final ClusterView view;
    /** States written, by topic id and partition: newer than the cache for a moment. */
    private final Map<String, Versioned<PartitionState>> written = new HashMap<>();

    PartitionStateWriter(PartitionStateStore states, ClusterView view) {
        this.states = states;
        this.view = view;
    }

    /** The newest state known without a read: the cache's or the one written here. */
    Optional<Versioned<PartitionState>> known(String topic, TopicRecord record, int partition) {
        Optional<Versioned<PartitionState>> cached = view.partitionState(topic, partition);
        Versioned<PartitionState> mine = written.get(key(record, partition));
        if (mine != null && (cached.isEmpty() || cached.get().version() < mine.version())) {
            return Optional.of(mine);
        }
        return cached;
    }

    /**
     * Writes {@code next} over {@code current} (creates it if there is no current state).
     *
     * @throws StateConflictException   when the state changed since {@code current} was read
     * @throws TopicGoneException       when the topic was deleted
     * @throws ControllerFencedException when {@code epoch} is no longer the current controller epoch
     */
    void write(
            ControllerEpoch epoch,
            String topic,
            TopicRecord record,
            int partition,
            Optional<Versioned<PartitionState>> current,
            PartitionState next)
            throws Exception {
        Versioned<PartitionState> result = current.isEmpty()
                ? states.create(epoch, topic, partition, next)
                : states.update(epoch, topic, partition, next, current.get().version());
        written.put(key(record, partition), result);
        if (current.isEmpty()) {
            log.info(
                    "Partition {}-{} initialised: leader {}, ISR {}, leaderEpoch {}",
                    topic,
                    partition,
                    next.leader(),
                    next.isr(),
                    next.leaderEpoch());
        } else {
            PartitionState before = current.get().value();
            log.info(
                    "Partition {}-{}: leader {} -> {}, leaderEpoch {} -> {}, ISR {} -> {}",
                    topic,
                    partition,
                    before.leader(),
                    next.leader(),
                    before.leaderEpoch(),
                    next.leaderEpoch(),
                    before.isr(),
                    next.isr());
        }
    }

    /** Forgets the writes of partitions not in {@code existing} (keys of {@link #key}): deleted topics. */
    void retainOnly(Set<String> existing) {
        written.keySet().retainAll(existing);
    }

    /** Forgets every write: a new term as controller starts from the cache. */
    void clear() {
        written.clear();
    }

    /** A partition's key: by topic id, so that a recreated topic's partitions are new ones. */
    static String key(TopicRecord record, int partition) {
        return record.topicId() + "-" + partition;
    }
}
