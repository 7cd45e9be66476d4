package io.tributary.group.membership;

import java.util.Collection;
import java.util.List;

/**
 * Where the Stable generations of classic groups are kept across coordinators (the shared store),
 * so that a coordinator that takes a group over knows its members: their heartbeats and commits
 * go on in the same generation, with no rebalance. Implementations are thread-safe and keep the
 * writes of one group in the order they were made.
 */
public interface ClassicGroupStore {

    /** Keeps nothing: members live in this process only (unit tests). */
    ClassicGroupStore NONE = new ClassicGroupStore() {
        @Override
        public void save(ClassicGroupSnapshot group) {}

        @Override
        public void delete(String groupId) {}

        @Override
        public List<ClassicGroupSnapshot> loadPartitions(Collection<Integer> partitions) {
            return List.of();
        }
    };

    /** Stores the group's Stable generation, soon; never blocks (called under the group lock). */
    void save(ClassicGroupSnapshot group);

    /** Forgets the group's members (it is Empty or deleted), after its earlier saves. */
    void delete(String groupId);

    /** The stored groups of the given group partitions, read at once; blocks on the store. */
    List<ClassicGroupSnapshot> loadPartitions(Collection<Integer> partitions);
}
