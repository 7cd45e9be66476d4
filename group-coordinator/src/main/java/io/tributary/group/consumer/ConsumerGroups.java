package io.tributary.group.consumer;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Where KIP-848 consumer groups are kept: in memory for now. This is the one class to change to
 * persist them (members rejoin with epoch 0 after a coordinator restart meanwhile, as they would
 * after a fencing; committed offsets are in the database already). Thread-safe.
 */
public final class ConsumerGroups {

    private final ConcurrentMap<String, ConsumerGroup> groups = new ConcurrentHashMap<>();

    /** The group, or null if there is no consumer group of that id. */
    public ConsumerGroup get(String groupId) {
        return groups.get(groupId);
    }

    ConsumerGroup getOrCreate(String groupId) {
        return groups.computeIfAbsent(groupId, ConsumerGroup::new);
    }

    /** Forgets the group (deleted, or its id taken over by a classic group); it is Dead from now on. */
    void remove(ConsumerGroup group) {
        synchronized (group) {
            group.markDead();
            groups.remove(group.groupId(), group);
        }
    }

    public Collection<ConsumerGroup> all() {
        return List.copyOf(groups.values());
    }
}
