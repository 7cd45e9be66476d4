package io.tributary.group.offset;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;

/**
 * The committed offsets this instance last read from or wrote to the store, per group: what
 * OffsetFetch answers while the store cannot be read (a full disk that made H2 close its
 * database, a PostgreSQL outage). Kafka's coordinator serves offsets from memory the same way.
 *
 * <p>A group is known only once its whole set of offsets was read (a fetch, or the first commit,
 * which reads the group back in its transaction); later commits and deletes are applied to it
 * after their transaction committed, so it never holds what the store refused. Of two commits of
 * one partition racing here, the later commit time wins, as it does in the store. Groups are
 * forgotten when this instance stops serving them, so a group served again is read afresh.
 * Thread-safe.
 */
final class AcknowledgedOffsets {

    private final Map<String, Map<TopicPartition, CommittedOffset>> groups = new ConcurrentHashMap<>();

    /** Whether the group's whole set of offsets is known. */
    boolean knows(String groupId) {
        return groups.containsKey(groupId);
    }

    /** The group's offsets as last acknowledged, or null if unknown. */
    List<CommittedOffset> get(String groupId) {
        Map<TopicPartition, CommittedOffset> offsets = groups.get(groupId);
        if (offsets == null) {
            return null;
        }
        synchronized (offsets) {
            return List.copyOf(offsets.values());
        }
    }

    /** The group's whole set of offsets as read from the store; an entry already known is kept. */
    void loaded(String groupId, Collection<CommittedOffset> all) {
        groups.computeIfAbsent(groupId, g -> index(all));
    }

    /** Offsets the store has committed; {@code all} is the whole group as read back, if it was. */
    void committed(String groupId, Collection<CommittedOffset> written, Collection<CommittedOffset> all) {
        Map<TopicPartition, CommittedOffset> offsets =
                all != null ? groups.computeIfAbsent(groupId, g -> index(all)) : groups.get(groupId);
        if (offsets == null) {
            return;
        }
        synchronized (offsets) {
            for (CommittedOffset o : written) {
                offsets.merge(
                        new TopicPartition(o.topic(), o.partition()),
                        o,
                        (old, now) -> now.commitTimestampMs() >= old.commitTimestampMs() ? now : old);
            }
        }
    }

    /** Partitions whose offsets the store has deleted. */
    void deleted(String groupId, Collection<TopicPartition> partitions) {
        Map<TopicPartition, CommittedOffset> offsets = groups.get(groupId);
        if (offsets != null) {
            synchronized (offsets) {
                partitions.forEach(offsets::remove);
            }
        }
    }

    /** Forgets the group; the next fetch reads it from the store. */
    void forget(String groupId) {
        groups.remove(groupId);
    }

    /** Forgets every group {@code unloaded} accepts (their partition moved to another instance). */
    void forget(Predicate<String> unloaded) {
        groups.keySet().removeIf(unloaded);
    }

    private static Map<TopicPartition, CommittedOffset> index(Collection<CommittedOffset> all) {
        Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
        new ArrayList<>(all).forEach(o -> offsets.put(new TopicPartition(o.topic(), o.partition()), o));
        return offsets;
    }
}
