package io.tributary.group.membership;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.NotCoordinatorException;

/**
 * The groups this coordinator has in memory: a group with a stored Stable generation is put here
 * with its members when its partition is claimed ({@link #restore(ClassicGroupSnapshot)}); any
 * other is filled lazily from the {@link GroupMetadataStore}: a group seen for the first time
 * since start (after a restart, or moved here from a dead instance) is loaded as Empty at its
 * stored generation. Loads run on the database executor,
 * never on the caller's thread.
 *
 * <p>With several coordinator instances, only the groups this instance serves (see
 * {@code ownership.GroupOwnership}) are looked up or created here; any other group fails with
 * {@link NotCoordinatorException}, which the client sees as {@code NOT_COORDINATOR} and answers
 * by finding the coordinator again. Thread-safe.
 */
public final class GroupRegistry {

    private final ConcurrentMap<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private final GroupMetadataStore store;
    private final Executor databaseExecutor;
    private final GroupTimer timer;
    private final Predicate<String> serves;

    /** A registry that serves every group (a single coordinator, tests). */
    public GroupRegistry(GroupMetadataStore store, Executor databaseExecutor, GroupTimer timer) {
        this(store, databaseExecutor, timer, groupId -> true);
    }

    /** A registry that serves only the groups {@code serves} accepts at the time of each call. */
    public GroupRegistry(
            GroupMetadataStore store, Executor databaseExecutor, GroupTimer timer, Predicate<String> serves) {
        this.store = store;
        this.databaseExecutor = databaseExecutor;
        this.timer = timer;
        this.serves = serves;
    }

    /** Whether this instance serves {@code groupId} now. */
    public boolean serves(String groupId) {
        return serves.test(groupId);
    }

    /** Throws {@link NotCoordinatorException} unless this instance serves {@code groupId}. */
    public void checkServes(String groupId) {
        if (!serves.test(groupId)) {
            throw new NotCoordinatorException("This coordinator does not serve group " + groupId);
        }
    }

    /** The group in memory or in the store; completes with {@code null} if neither has it. */
    public CompletableFuture<ClassicGroup> lookup(String groupId) {
        if (!serves.test(groupId)) {
            return CompletableFuture.failedFuture(
                    new NotCoordinatorException("This coordinator does not serve group " + groupId));
        }
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
            // not loaded with its members (none stored, or the load failed): Empty from now on
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

    /**
     * Puts a group taken over with its stored Stable generation in memory; {@code null} if a group
     * of that id is there already (it is kept).
     */
    ClassicGroup restore(ClassicGroupSnapshot stored) {
        ClassicGroup restored = ClassicGroup.restored(stored, timer.nowMs());
        return groups.putIfAbsent(stored.groupId(), restored) == null ? restored : null;
    }

    /** The group in memory, {@code null} if it is not loaded. */
    public ClassicGroup cached(String groupId) {
        return groups.get(groupId);
    }

    /** The group in memory, created Empty if absent. */
    ClassicGroup getOrCreate(String groupId) {
        checkServes(groupId);
        return groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, timer.nowMs()));
    }

    /**
     * The group in memory, created Empty if absent: a simple group (offsets committed without
     * membership). Its row is written with the commit that created it.
     */
    public ClassicGroup getOrCreateSimple(String groupId) {
        checkServes(groupId);
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

    /** Stored groups this instance serves, for listings and expiry; blocks: call on a database thread. */
    public Collection<StoredGroup> storedGroups() {
        return store.loadAll().stream().filter(g -> serves.test(g.groupId())).toList();
    }
}
