package io.tributary.group.testing;

import io.tributary.group.persistence.CommittedOffsetEntity;
import io.tributary.group.persistence.CommittedOffsetKey;
import io.tributary.group.persistence.CommittedOffsetRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A map standing in for the committed-offset table; {@link #failing} simulates an outage. */
public final class InMemoryOffsetRepository implements CommittedOffsetRepository {

    private final Map<String, CommittedOffsetEntity> rows = new ConcurrentSkipListMap<>();
    public volatile RuntimeException failing;

    private static String k(CommittedOffsetKey key) {
        return key.getGroupId() + "\u0000" + key.getTopic() + "\u0000" + key.getPartition();
    }

    private void check() {
        if (failing != null) {
            throw failing;
        }
    }

    @Override
    public Optional<CommittedOffsetEntity> findById(CommittedOffsetKey key) {
        check();
        return Optional.ofNullable(rows.get(k(key)));
    }

    @Override
    public List<CommittedOffsetEntity> findByKeyGroupId(String groupId) {
        check();
        return new ArrayList<>(rows.values().stream()
                .filter(r -> r.getKey().getGroupId().equals(groupId))
                .toList());
    }

    @Override
    public CommittedOffsetEntity save(CommittedOffsetEntity offset) {
        check();
        rows.put(k(offset.getKey()), offset);
        return offset;
    }

    @Override
    public List<String> findGroupIds() {
        check();
        return rows.values().stream()
                .map(r -> r.getKey().getGroupId())
                .distinct()
                .toList();
    }

    @Override
    public int deleteByGroupId(String groupId) {
        check();
        List<String> keys = rows.entrySet().stream()
                .filter(e -> e.getValue().getKey().getGroupId().equals(groupId))
                .map(Map.Entry::getKey)
                .toList();
        keys.forEach(rows::remove);
        return keys.size();
    }

    @Override
    public int deleteByKey(CommittedOffsetKey key) {
        check();
        return rows.remove(k(key)) != null ? 1 : 0;
    }

    @Override
    public int deleteIfUnchanged(CommittedOffsetKey key, long commitTimestamp) {
        check();
        CommittedOffsetEntity row = rows.get(k(key));
        if (row != null && row.getCommitTimestamp() == commitTimestamp) {
            rows.remove(k(key));
            return 1;
        }
        return 0;
    }
}
