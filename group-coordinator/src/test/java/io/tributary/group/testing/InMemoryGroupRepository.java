package io.tributary.group.testing;

import io.tributary.group.persistence.GroupMetadataEntity;
import io.tributary.group.persistence.GroupMetadataRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A map standing in for the consumer_group table. */
public final class InMemoryGroupRepository implements GroupMetadataRepository {

    private final Map<String, GroupMetadataEntity> rows = new ConcurrentSkipListMap<>();
    public volatile RuntimeException failing;

    private void check() {
        if (failing != null) {
            throw failing;
        }
    }

    @Override
    public Optional<GroupMetadataEntity> findById(String groupId) {
        check();
        return Optional.ofNullable(rows.get(groupId));
    }

    @Override
    public List<GroupMetadataEntity> findAll() {
        check();
        return new ArrayList<>(rows.values());
    }

    @Override
    public GroupMetadataEntity save(GroupMetadataEntity group) {
        check();
        rows.put(group.getGroupId(), group);
        return group;
    }

    @Override
    public int deleteByGroupId(String groupId) {
        check();
        return rows.remove(groupId) != null ? 1 : 0;
    }
}
