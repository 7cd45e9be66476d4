package io.tributary.group.coordinator;

import io.tributary.group.membership.GroupIds;
import io.tributary.group.membership.GroupRegistry;
import io.tributary.group.offset.CommittedOffset;
import io.tributary.group.offset.OffsetManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetFetch in both of its shapes: v8+ asks for several groups at once ({@code groups[]},
 * answered per group with a group-level error), v0-7 for one group with top-level topics and a
 * top-level error (v2+; v0-1 carry errors per partition only). Topics {@code null} means all of
 * the group's offsets. A partition without a committed offset answers offset -1, epoch -1,
 * empty metadata. Reads run on the database executor; a database failure is
 * COORDINATOR_NOT_AVAILABLE for that group.
 */
final class OffsetFetcher {

    private final OffsetManager offsets;
    private final GroupRegistry registry;
    private final Executor databaseExecutor;
    private final MemberCheck memberCheck;
    private final Function<String, Set<TopicPartition>> unstable;

    /** The member check of a v9+ fetch (member id and epoch) by a KIP-848 member. */
    @FunctionalInterface
    interface MemberCheck {
        Errors check(String groupId, String memberId, int memberEpoch);
    }

    /**
     * @param unstable the group's partitions with offsets of an undecided transaction: a
     *     {@code require_stable} fetch answers them {@code UNSTABLE_OFFSET_COMMIT} (KIP-447), which
     *     the consumer retries until the transaction is decided
     */
    OffsetFetcher(
            OffsetManager offsets,
            GroupRegistry registry,
            Executor databaseExecutor,
            MemberCheck memberCheck,
            Function<String, Set<TopicPartition>> unstable) {
        this.offsets = offsets;
        this.registry = registry;
        this.databaseExecutor = databaseExecutor;
        this.memberCheck = memberCheck;
        this.unstable = unstable;
    }

    CompletableFuture<OffsetFetchResponseData> fetch(OffsetFetchRequestData request, short version) {
        if (version >= 8) {
            List<CompletableFuture<OffsetFetchResponseGroup>> groups = new ArrayList<>();
            for (OffsetFetchRequestGroup group : request.groups()) {
                // a group served elsewhere is NOT_COORDINATOR (fetchGroup), whatever its members
                Errors memberError = GroupIds.isValid(group.groupId()) && registry.serves(group.groupId())
                        ? memberCheck.check(group.groupId(), group.memberId(), group.memberEpoch())
                        : Errors.NONE;
                groups.add(
                        memberError == Errors.NONE
                                ? fetchGroup(group.groupId(), group.topics(), request.requireStable())
                                : CompletableFuture.completedFuture(
                                        groupError(group.groupId(), group.topics(), memberError)));
            }
            return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new))
                    .thenApply(v -> new OffsetFetchResponseData()
                            .setGroups(
                                    groups.stream().map(CompletableFuture::join).toList()));
        }
        return fetchGroup(request.groupId(), singleGroupTopics(request), request.requireStable())
                .thenApply(group -> toSingleGroup(group, version));
    }

    private CompletableFuture<OffsetFetchResponseGroup> fetchGroup(
            String groupId, List<OffsetFetchRequestTopics> topics, boolean requireStable) {
        if (!GroupIds.isValid(groupId)) {
            return CompletableFuture.completedFuture(groupError(groupId, topics, Errors.INVALID_GROUP_ID));
        }
        if (!registry.serves(groupId)) {
            return CompletableFuture.completedFuture(groupError(groupId, topics, Errors.NOT_COORDINATOR));
        }
        return CompletableFuture.supplyAsync(
                        () -> {
                            // pending offsets first: a transaction decided between the two reads then
                            // shows as unstable (retried), never as neither pending nor committed
                            Set<TopicPartition> pending = requireStable ? unstable.apply(groupId) : Set.of();
                            return markUnstable(answer(groupId, topics, offsets.fetch(groupId)), pending);
                        },
                        databaseExecutor)
                .exceptionally(failure ->
                        groupError(groupId, topics, CoordinatorErrors.toError("OffsetFetch", groupId, failure)));
    }

    private static OffsetFetchResponseGroup answer(
            String groupId, List<OffsetFetchRequestTopics> topics, List<CommittedOffset> committed) {
        Map<String, Map<Integer, CommittedOffset>> byTopic = new LinkedHashMap<>();
        committed.forEach(o ->
                byTopic.computeIfAbsent(o.topic(), t -> new LinkedHashMap<>()).put(o.partition(), o));
        OffsetFetchResponseGroup group = new OffsetFetchResponseGroup().setGroupId(groupId);
        if (topics == null) {
            byTopic.forEach((topic, partitions) -> group.topics()
                    .add(new OffsetFetchResponseTopics()
                            .setName(topic)
                            .setPartitions(partitions.values().stream()
                                    .map(OffsetFetcher::found)
                                    .toList())));
            return group;
        }
        for (OffsetFetchRequestTopics topic : topics) {
            Map<Integer, CommittedOffset> partitions = byTopic.getOrDefault(topic.name(), Map.of());
            OffsetFetchResponseTopics topicResponse =
                    new OffsetFetchResponseTopics().setName(topic.name()).setTopicId(topic.topicId());
            for (int partition : topic.partitionIndexes()) {
                CommittedOffset offset = partitions.get(partition);
                topicResponse.partitions().add(offset != null ? found(offset) : missing(partition, Errors.NONE));
            }
            group.topics().add(topicResponse);
        }
        return group;
    }

    /** Replaces the answer of each partition a transaction is still committing by UNSTABLE_OFFSET_COMMIT. */
    private static OffsetFetchResponseGroup markUnstable(OffsetFetchResponseGroup group, Set<TopicPartition> pending) {
        if (pending.isEmpty()) {
            return group;
        }
        for (OffsetFetchResponseTopics topic : group.topics()) {
            topic.setPartitions(topic.partitions().stream()
                    .map(p -> pending.contains(new TopicPartition(topic.name(), p.partitionIndex()))
                            ? missing(p.partitionIndex(), Errors.UNSTABLE_OFFSET_COMMIT)
                            : p)
                    .toList());
        }
        return group;
    }

    private static OffsetFetchResponsePartitions found(CommittedOffset offset) {
        return new OffsetFetchResponsePartitions()
                .setPartitionIndex(offset.partition())
                .setCommittedOffset(offset.offset())
                .setCommittedLeaderEpoch(offset.leaderEpoch())
                .setMetadata(offset.metadata() == null ? "" : offset.metadata());
    }

    private static OffsetFetchResponsePartitions missing(int partition, Errors error) {
        return new OffsetFetchResponsePartitions()
                .setPartitionIndex(partition)
                .setCommittedOffset(-1)
                .setCommittedLeaderEpoch(-1)
                .setMetadata("")
                .setErrorCode(error.code());
    }

    private static OffsetFetchResponseGroup groupError(
            String groupId, List<OffsetFetchRequestTopics> topics, Errors error) {
        OffsetFetchResponseGroup group =
                new OffsetFetchResponseGroup().setGroupId(groupId).setErrorCode(error.code());
        if (topics != null) {
            // v0-1 have no group-level error: the partitions carry it
            for (OffsetFetchRequestTopics topic : topics) {
                group.topics()
                        .add(new OffsetFetchResponseTopics()
                                .setName(topic.name())
                                .setTopicId(topic.topicId())
                                .setPartitions(topic.partitionIndexes().stream()
                                        .map(p -> missing(p, error))
                                        .toList()));
            }
        }
        return group;
    }

    private static OffsetFetchResponseData toSingleGroup(OffsetFetchResponseGroup group, short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version >= 2) {
            response.setErrorCode(group.errorCode());
        }
        boolean partitionErrors = version < 2;
        for (OffsetFetchResponseTopics topic : group.topics()) {
            OffsetFetchResponseTopic single = new OffsetFetchResponseTopic().setName(topic.name());
            for (OffsetFetchResponsePartitions p : topic.partitions()) {
                OffsetFetchResponsePartition partition = new OffsetFetchResponsePartition()
                        .setPartitionIndex(p.partitionIndex())
                        .setCommittedOffset(p.committedOffset())
                        .setMetadata(p.metadata())
                        .setErrorCode(partitionErrors || p.errorCode() != group.errorCode() ? p.errorCode() : 0);
                if (version >= 5) {
                    partition.setCommittedLeaderEpoch(p.committedLeaderEpoch());
                }
                single.partitions().add(partition);
            }
            response.topics().add(single);
        }
        return response;
    }

    /** The answer when the whole request failed. */
    static OffsetFetchResponseData errorResponse(OffsetFetchRequestData request, short version, Errors error) {
        if (version >= 8) {
            return new OffsetFetchResponseData()
                    .setGroups(request.groups().stream()
                            .map(g -> groupError(g.groupId(), g.topics(), error))
                            .toList());
        }
        return toSingleGroup(groupError(request.groupId(), singleGroupTopics(request), error), version);
    }

    /** The topics of a v0-7 request (one group, top-level topics) in the v8+ per-group shape; null for all. */
    private static List<OffsetFetchRequestTopics> singleGroupTopics(OffsetFetchRequestData request) {
        return request.topics() == null
                ? null
                : request.topics().stream()
                        .map(t -> new OffsetFetchRequestTopics()
                                .setName(t.name())
                                .setPartitionIndexes(t.partitionIndexes()))
                        .toList();
    }
}
