package io.tributary.group.consumer;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Where KIP-848 consumer groups are kept: in memory, and in the {@link ConsumerGroupStore} after
 * every change, so that the coordinator that takes a group over continues it (its members keep
 * their epochs and assignments). Thread-safe.
 */
public final class ConsumerGroups {

    private final ConcurrentMap<String, ConsumerGroup> groups = new ConcurrentHashMap<>();
    private final ConsumerGroupStore store;

    /** Groups kept in memory only. */
    public ConsumerGroups() {
        this(ConsumerGroupStore.NONE);
    }

    public ConsumerGroups(ConsumerGroupStore store) {
        this.store = store;
    }

    /** The group, or null if there is no consumer group of that id. */
    public ConsumerGroup get(String groupId) {
        return groups.get(groupId);
    }

    ConsumerGroup getOrCreate(String groupId) {
        return groups.computeIfAbsent(groupId, ConsumerGroup::new);
    }

    /** Hands the group to the store if it changed; the caller holds the group's monitor. */
    void changed(ConsumerGroup group) {
        if (!group.isDead() && group.takeUnstored()) {
            store.save(group.snapshot());
        }
    }

    /** Forgets the group (deleted, or its id taken over by a classic group); it is Dead from now on. */
    void remove(ConsumerGroup group) {
        synchronized (group) {
            group.markDead();
            groups.remove(group.groupId(), group);
            store.delete(group.groupId());
        }
    }

    /** Drops the group from memory only: another coordinator serves it now, from the store. */
    void unload(ConsumerGroup group) {
        synchronized (group) {
            group.markDead();
            groups.remove(group.groupId(), group);
        }
    }

    /**
     * The stored groups of group partitions this instance now serves, put in memory (a group
     * already there is kept); blocks on the store.
     */
    List<ConsumerGroup> load(Collection<Integer> partitions) {
        return store.loadPartitions(partitions).stream()
                .map(snapshot -> {
                    ConsumerGroup restored = ConsumerGroup.restore(snapshot);
                    return groups.putIfAbsent(snapshot.groupId(), restored) == null ? restored : null;
                })
                .filter(Objects::nonNull)
                .toList();
    }

    public Collection<ConsumerGroup> all() {
        return List.copyOf(groups.values());
    }
}
