package io.tributary.group.persistence;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.consumer.ConsumerGroupMember;
import io.tributary.group.consumer.ConsumerGroupSnapshot;
import io.tributary.group.consumer.ConsumerGroupStore;
import io.tributary.group.consumer.MemberState;
import io.tributary.group.consumer.TopicsImage;
import io.tributary.group.consumer.assignor.IdPartition;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ConsumerGroupStore} on the {@code consumer_group_state} table: one row per KIP-848 group
 * with its membership as a JSON document (partitions as {@code topicId:partition}).
 *
 * <p>Writes go through a {@link FencedGroupWriter}: one writer thread, the latest state of a group
 * only, fenced by the ownership epoch. A failed write is dropped: the next change writes the whole
 * group again, and a member the new owner does not know rejoins, as the protocol provides.
 * Thread-safe.
 */
public final class JpaConsumerGroupStore implements ConsumerGroupStore, AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConsumerGroupStateRepository repository;
    private final TransactionOperations transactions;
    private final FencedGroupWriter<ConsumerGroupSnapshot> writer;

    public JpaConsumerGroupStore(
            ConsumerGroupStateRepository repository, TransactionOperations transactions, WriteFence fence) {
        this.repository = repository;
        this.transactions = transactions;
        this.writer = new FencedGroupWriter<>(
                "consumer-group", transactions, fence, (groupId, state) -> upsert(state), repository::deleteByGroupId);
    }

    @Override
    public void save(ConsumerGroupSnapshot group) {
        writer.submit(group.groupId(), group);
    }

    @Override
    public void delete(String groupId) {
        writer.submit(groupId, null);
    }

    private void upsert(ConsumerGroupSnapshot group) {
        String json = JSON.writeValueAsString(toStored(group));
        Optional<ConsumerGroupStateEntity> row = repository.findById(group.groupId());
        if (row.isPresent()) {
            row.get().update(group.groupEpoch(), group.targetEpoch(), json);
        } else {
            repository.save(new ConsumerGroupStateEntity(
                    group.groupId(),
                    GroupPartitionOwner.partitionOf(group.groupId()),
                    group.groupEpoch(),
                    group.targetEpoch(),
                    json));
        }
    }

    @Override
    public List<ConsumerGroupSnapshot> loadPartitions(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return List.of();
        }
        flush(); // this instance's own late writes of the partitions first
        // one query for all of them: a takeover of a dead instance's 25 partitions reads once
        List<ConsumerGroupStateEntity> rows =
                transactions.execute(status -> repository.findByGroupPartitionIn(partitions));
        return rows.stream()
                .map(row -> fromStored(row.getGroupId(), JSON.readValue(row.getState(), StoredGroup.class)))
                .toList();
    }

    /** Waits for queued writes (tests, shutdown, a load). */
    public void flush() {
        writer.flush();
    }

    @Override
    public void close() {
        writer.close();
    }

    // ---------------------------------------------------------------- the JSON document

    record StoredGroup(
            int groupEpoch,
            int targetEpoch,
            String assignor,
            List<StoredMember> members,
            Map<String, List<String>> target,
            List<StoredTopic> topics) {}

    record StoredMember(
            String memberId,
            String instanceId,
            String rackId,
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            List<String> topicNames,
            String topicRegex,
            String serverAssignor,
            int epoch,
            int previousEpoch,
            String state,
            List<String> assigned,
            List<String> pendingRevocation) {}

    record StoredTopic(String name, String id, int partitions) {}

    private static StoredGroup toStored(ConsumerGroupSnapshot group) {
        Map<String, List<String>> target = new LinkedHashMap<>();
        group.target().forEach((member, partitions) -> target.put(member, partitions(partitions)));
        return new StoredGroup(
                group.groupEpoch(),
                group.targetEpoch(),
                group.assignorName(),
                group.members().stream()
                        .map(m -> new StoredMember(
                                m.memberId(),
                                m.instanceId(),
                                m.rackId(),
                                m.clientId(),
                                m.clientHost(),
                                m.rebalanceTimeoutMs(),
                                m.subscribedTopicNames(),
                                m.subscribedTopicRegex(),
                                m.serverAssignor(),
                                m.memberEpoch(),
                                m.previousMemberEpoch(),
                                m.state().name(),
                                partitions(m.assigned()),
                                partitions(m.pendingRevocation())))
                        .toList(),
                target,
                group.subscribedTopics().stream()
                        .map(t -> new StoredTopic(t.name(), t.id().toString(), t.partitions()))
                        .toList());
    }

    private static ConsumerGroupSnapshot fromStored(String groupId, StoredGroup stored) {
        Map<String, Set<IdPartition>> target = new LinkedHashMap<>();
        stored.target().forEach((member, partitions) -> target.put(member, idPartitions(partitions)));
        return new ConsumerGroupSnapshot(
                groupId,
                stored.groupEpoch(),
                stored.targetEpoch(),
                stored.assignor(),
                stored.members().stream()
                        .map(m -> new ConsumerGroupMember(
                                m.memberId(),
                                m.instanceId(),
                                m.rackId(),
                                m.clientId(),
                                m.clientHost(),
                                m.rebalanceTimeoutMs(),
                                m.topicNames(),
                                m.topicRegex(),
                                m.serverAssignor(),
                                m.epoch(),
                                m.previousEpoch(),
                                MemberState.valueOf(m.state()),
                                idPartitions(m.assigned()),
                                idPartitions(m.pendingRevocation())))
                        .toList(),
                target,
                stored.topics().stream()
                        .map(t -> new TopicsImage.Topic(t.name(), Uuid.fromString(t.id()), t.partitions()))
                        .toList());
    }

    private static List<String> partitions(Collection<IdPartition> partitions) {
        return partitions.stream()
                .sorted()
                .map(p -> p.topicId() + ":" + p.partition())
                .toList();
    }

    private static Set<IdPartition> idPartitions(List<String> partitions) {
        return partitions.stream()
                .map(p -> {
                    int colon = p.lastIndexOf(':');
                    return new IdPartition(
                            Uuid.fromString(p.substring(0, colon)), Integer.parseInt(p.substring(colon + 1)));
                })
                .collect(Collectors.toSet());
    }
}
