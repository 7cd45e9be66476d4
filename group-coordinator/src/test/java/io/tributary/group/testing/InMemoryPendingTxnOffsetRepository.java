package io.tributary.group.testing;

import io.tributary.group.txnoffset.PendingTxnOffsetEntity;
import io.tributary.group.txnoffset.PendingTxnOffsetRepository;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Pending transactional offsets in a list, for coordinator tests without a database. */
public final class InMemoryPendingTxnOffsetRepository implements PendingTxnOffsetRepository {

    private final List<PendingTxnOffsetEntity> rows = new CopyOnWriteArrayList<>();

    @Override
    public PendingTxnOffsetEntity save(PendingTxnOffsetEntity row) {
        rows.add(row);
        return row;
    }

    @Override
    public List<PendingTxnOffsetEntity> findByProducerId(long producerId) {
        return rows.stream().filter(r -> r.getProducerId() == producerId).toList();
    }

    @Override
    public List<PendingTxnOffsetEntity> findByGroupId(String groupId) {
        return rows.stream().filter(r -> r.getGroupId().equals(groupId)).toList();
    }

    @Override
    public void delete(PendingTxnOffsetEntity row) {
        rows.remove(row);
    }

    @Override
    public int deleteByGroupId(String groupId) {
        List<PendingTxnOffsetEntity> staged = findByGroupId(groupId);
        rows.removeAll(staged);
        return staged.size();
    }

    @Override
    public int deleteByPartition(String groupId, String topic, int partition) {
        List<PendingTxnOffsetEntity> staged = findByGroupId(groupId).stream()
                .filter(r -> r.getTopic().equals(topic) && r.getPartition() == partition)
                .toList();
        rows.removeAll(staged);
        return staged.size();
    }

    @Override
    public int deleteStaged(String groupId, long producerId, String topic, int partition) {
        List<PendingTxnOffsetEntity> staged = rows.stream()
                .filter(r -> r.getGroupId().equals(groupId)
                        && r.getProducerId() == producerId
                        && r.getTopic().equals(topic)
                        && r.getPartition() == partition)
                .toList();
        rows.removeAll(staged);
        return staged.size();
    }
}
