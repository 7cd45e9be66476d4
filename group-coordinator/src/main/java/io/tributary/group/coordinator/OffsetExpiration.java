package io.tributary.group.coordinator;

import io.tributary.group.config.GroupCoordinatorProperties;
import io.tributary.group.membership.ClassicGroup;
import io.tributary.group.membership.GroupMetadataStore;
import io.tributary.group.membership.GroupRegistry;
import io.tributary.group.membership.GroupState;
import io.tributary.group.membership.GroupTimer;
import io.tributary.group.membership.GroupView;
import io.tributary.group.membership.MembershipManager;
import io.tributary.group.membership.StoredGroup;
import io.tributary.group.offset.OffsetManager;
import io.tributary.group.txnoffset.PendingTxnOffsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires committed offsets ({@code offsets.retention.minutes}): for a group without members,
 * an offset goes once the retention has passed since it was committed and since the group
 * became Empty; for a simple group (no protocol type) since it was committed. Groups with
 * members keep their offsets. A group left Empty with no offsets is deleted, as Kafka does.
 * Offsets staged by a transaction not yet decided ({@link PendingTxnOffsets}) are never expired
 * here (the transaction coordinator aborts a transaction that times out), and they keep both the
 * committed offset of their partition and their group.
 *
 * <p>Groups not loaded here since start are judged by their stored row (their state when last
 * written): with several instances on one database each may expire any group that has no
 * members anywhere. Groups Empty for a whole check interval are unloaded from memory (see
 * {@link MembershipManager#evictIfIdle}). Blocks on the database: run it on a database or
 * scheduler thread.
 */
public final class OffsetExpiration {

    private static final Logger log = LoggerFactory.getLogger(OffsetExpiration.class);

    private final GroupRegistry registry;
    private final MembershipManager membership;
    private final OffsetManager offsets;
    private final PendingTxnOffsets pending;
    private final GroupMetadataStore store;
    private final GroupTimer timer;
    private final long retentionMs;
    private final long idleUnloadMs;

    public OffsetExpiration(
            GroupRegistry registry,
            MembershipManager membership,
            OffsetManager offsets,
            PendingTxnOffsets pending,
            GroupMetadataStore store,
            GroupTimer timer,
            GroupCoordinatorProperties config) {
        this.registry = registry;
        this.membership = membership;
        this.offsets = offsets;
        this.pending = pending;
        this.store = store;
        this.timer = timer;
        this.retentionMs = config.offsetsRetention().toMillis();
        this.idleUnloadMs = config.offsetsRetentionCheckInterval().toMillis();
    }

    /** One pass over every group with offsets; returns the number of groups deleted. */
    public int run() {
        long now = timer.nowMs();
        Map<String, StoredGroup> stored = new LinkedHashMap<>();
        registry.storedGroups().forEach(g -> stored.put(g.groupId(), g));
        int deletedGroups = 0;
        for (String groupId : offsets.groupsWithOffsets()) {
            // another coordinator instance expires the groups it serves
            if (registry.serves(groupId)) {
                stored.putIfAbsent(groupId, null);
            }
        }
        for (Map.Entry<String, StoredGroup> entry : stored.entrySet()) {
            String groupId = entry.getKey();
            ClassicGroup loaded = registry.cached(groupId);
            boolean empty;
            boolean simple;
            long emptySince;
            if (loaded != null) {
                GroupView view = membership.view(loaded);
                empty = view.state() == GroupState.EMPTY;
                simple = view.protocolType() == null;
                emptySince = view.stateTimestampMs();
            } else if (entry.getValue() != null) {
                StoredGroup row = entry.getValue();
                empty = GroupState.EMPTY.wireName().equals(row.state());
                simple = row.protocolType() == null || row.protocolType().isEmpty();
                emptySince = row.stateTimestampMs();
            } else {
                // offsets without a group row: a simple group
                empty = true;
                simple = true;
                emptySince = 0;
            }
            if (!empty) {
                continue;
            }
            int left;
            Set<TopicPartition> undecided;
            try {
                undecided = pending.pendingPartitions(groupId);
                left = offsets.expire(groupId, simple ? 0 : emptySince, retentionMs, now, undecided);
            } catch (NotCoordinatorException e) {
                continue; // moved to another instance during this pass: its new owner expires it
            }
            // a group with offsets of an undecided transaction stays, as in Kafka: the COMMIT
            // marker would otherwise make offsets visible in a group that no longer exists
            if (left == 0 && undecided.isEmpty() && deleteIfStillEmpty(groupId, loaded)) {
                deletedGroups++;
            }
        }
        // Empty groups idle for a whole check interval leave memory (their rows stay)
        for (ClassicGroup group : registry.inMemory()) {
            membership.evictIfIdle(group, idleUnloadMs);
        }
        if (deletedGroups > 0) {
            log.info("Offset expiry deleted {} groups without members or offsets", deletedGroups);
        }
        return deletedGroups;
    }

    private boolean deleteIfStillEmpty(String groupId, ClassicGroup loaded) {
        if (loaded != null && membership.deleteGroup(loaded) != Errors.NONE) {
            return false;
        }
        store.delete(groupId).join();
        log.info("Group {} deleted: no members and all offsets expired", groupId);
        return true;
    }
}
