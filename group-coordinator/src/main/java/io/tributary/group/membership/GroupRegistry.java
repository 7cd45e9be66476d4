package io.tributary.group.membership;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

/**
 * The groups this coordinator has in memory, filled lazily from the {@link GroupMetadataStore}:
 * a group seen for the first time since start (after a restart, or moved here from a dead
 * instance) is loaded as Empty at its stored generation. Loads run on the database executor,
 * never on the caller's thread. Thread-safe.
 */
public final class GroupRegistry {

    private final ConcurrentMap<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private final GroupMetadataStore store;
    private final Executor databaseExecutor;
    private final GroupTimer timer;

    public GroupRegistry(GroupMetadataStore store, Executor databaseExecutor, GroupTimer timer) {
        this.store = store;
        this.databaseExecutor = databaseExecutor;
        this.timer = timer;
    }

    /** The group in memory or in the store; completes with {@code null} if neither has it. */
    public CompletableFuture<ClassicGroup> lookup(String groupId) {
        ClassicGroup cached = groups.get(groupId);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return CompletableFuture.supplyAsync(() -> store.load(groupId), databaseExecutor)
                .thenApply(stored -> stored.map(this::restore).orElseGet(() -> groups.get(groupId)));
    }

    private ClassicGroup restore(StoredGroup stored) {
        return groups.computeIfAbsent(stored.groupId(), id -> {
            boolean wasEmpty = GroupState.EMPTY.wireName().equals(stored.state());
            // Members never survive: a group stored mid-generation is Empty from now on.
            ClassicGroup group = ClassicGroup.restored(
                    id,
                    stored.protocolType(),
                    stored.generationId(),
                    wasEmpty ? stored.stateTimestampMs() : timer.nowMs());
            if (!wasEmpty) {
                store.save(StoredGroup.of(group));
            }
            return group;
        });
    }

    /** The group in memory, {@code null} if it is not loaded. */
    public ClassicGroup cached(String groupId) {
        return groups.get(groupId);
    }

    /** The group in memory, created Empty if absent. */
    ClassicGroup getOrCreate(String groupId) {
        return groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, timer.nowMs()));
    }

    /**
     * The group in memory, created Empty if absent: a simple group (offsets committed without
     * membership). Its row is written with the commit that created it.
     */
    public ClassicGroup getOrCreateSimple(String groupId) {
        return groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, timer.nowMs()));
    }

    /** Forgets a group that went Dead. */
    void remove(ClassicGroup group) {
        groups.remove(group.groupId(), group);
    }

    /** Groups in memory. */
    public Collection<ClassicGroup> inMemory() {
        return groups.values();
    }

    /** Stored groups, for listings; blocks: call on a database thread. */
    public Collection<StoredGroup> storedGroups() {
        return store.loadAll();
    }
}
