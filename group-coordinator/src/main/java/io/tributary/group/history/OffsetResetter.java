package io.tributary.group.history;

import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import io.tributary.group.offset.CommittedOffset;
import io.tributary.group.offset.OffsetManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resets a group's committed offsets to its positions as of a past commit time: per partition,
 * the offset of its last commit at or before that moment; a partition that had no commit then
 * loses its committed offset (the consumer starts by {@code auto.offset.reset}, as it would have
 * then). The way to undo a deploy that committed past records it never processed.
 *
 * <p>Only for a group without members of either protocol (classic members seen by DescribeGroups,
 * KIP-848 members by ConsumerGroupDescribe), and only on the instance that serves the group: the
 * new offsets go through the coordinator's own OffsetCommit and OffsetDelete paths (generation
 * -1, no member), so a member that joins meanwhile makes the commit fail rather than race it.
 * Blocks the calling thread (a web request thread), never the coordinator's. Thread-safe.
 */
public final class OffsetResetter {

    private static final Logger log = LoggerFactory.getLogger(OffsetResetter.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final GroupCoordinator coordinator;
    private final OffsetManager offsets;
    private final OffsetHistory history;

    public OffsetResetter(GroupCoordinator coordinator, OffsetManager offsets, OffsetHistory history) {
        this.coordinator = coordinator;
        this.offsets = offsets;
        this.history = history;
    }

    /** One partition of a reset: its offset now, and after (null: the committed offset is deleted). */
    public record PlannedReset(String topic, int partition, Long currentOffset, CommitRecord restored) {}

    /**
     * Plans the reset of {@code groupId} (only {@code topic} if not null) to {@code at}, and with
     * {@code execute} applies it.
     *
     * @throws GroupIdNotFoundException when the group has neither offsets nor history
     * @throws GroupNotEmptyException   when the group has active members
     */
    public List<PlannedReset> reset(String groupId, String topic, Instant at, boolean execute, RequestContext context)
            throws Exception {
        if (!isEmptyConsumerGroup(groupId, context)) {
            checkNoClassicMembers(groupId, context);
        }
        List<PlannedReset> plan = plan(groupId, topic, at);
        if (plan.isEmpty() && !history.knows(groupId) && offsets.fetch(groupId).isEmpty()) {
            throw new GroupIdNotFoundException("Group " + groupId + " has no committed offsets and no history");
        }
        if (execute) {
            apply(groupId, plan, context);
            log.info("Group {}: offsets of {} partitions reset to their positions at {}", groupId, plan.size(), at);
        }
        return plan;
    }

    /**
     * Whether {@code groupId} is a KIP-848 consumer group without members; throws when it is one
     * with members. False when it is no consumer group (then it may be a classic one).
     */
    private boolean isEmptyConsumerGroup(String groupId, RequestContext context) throws Exception {
        ConsumerGroupDescribeResponseData.DescribedGroup group = await(coordinator.consumerGroupDescribe(
                        context, new ConsumerGroupDescribeRequestData().setGroupIds(List.of(groupId))))
                .groups()
                .get(0);
        Errors described = Errors.forCode(group.errorCode());
        if (described == Errors.GROUP_ID_NOT_FOUND) {
            return false;
        }
        if (described != Errors.NONE) {
            throw described.exception("Group " + groupId + ": " + described.message());
        }
        if (!group.members().isEmpty()) {
            throw notEmpty(
                    groupId,
                    group.members().size() + " active members (consumer protocol, state " + group.groupState() + ")");
        }
        return true;
    }

    private void checkNoClassicMembers(String groupId, RequestContext context) throws Exception {
        DescribedGroup group = await(coordinator.describeGroups(
                        context, new DescribeGroupsRequestData().setGroups(List.of(groupId))))
                .groups()
                .get(0);
        Errors described = Errors.forCode(group.errorCode());
        if (described != Errors.NONE) {
            throw described.exception("Group " + groupId + ": " + described.message());
        }
        if (!group.members().isEmpty()) {
            throw notEmpty(groupId, group.members().size() + " active members (state " + group.groupState() + ")");
        }
    }

    private List<PlannedReset> plan(String groupId, String topic, Instant at) {
        Map<TopicPartition, Long> current = new LinkedHashMap<>();
        for (CommittedOffset o : offsets.fetch(groupId)) {
            if (topic == null || topic.equals(o.topic())) {
                current.put(new TopicPartition(o.topic(), o.partition()), o.offset());
            }
        }
        Map<TopicPartition, CommitRecord> then = new LinkedHashMap<>();
        history.positionsAt(groupId, topic, at).forEach(r -> then.put(new TopicPartition(r.topic(), r.partition()), r));
        List<TopicPartition> partitions = new ArrayList<>(current.keySet());
        then.keySet().stream().filter(tp -> !current.containsKey(tp)).forEach(partitions::add);
        partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return partitions.stream()
                .map(tp -> new PlannedReset(tp.topic(), tp.partition(), current.get(tp), then.get(tp)))
                .toList();
    }

    private void apply(String groupId, List<PlannedReset> plan, RequestContext context) throws Exception {
        Map<String, OffsetCommitRequestTopic> commits = new LinkedHashMap<>();
        Map<String, OffsetDeleteRequestTopic> deletes = new LinkedHashMap<>();
        for (PlannedReset p : plan) {
            if (p.restored() != null) {
                commits.computeIfAbsent(p.topic(), t -> new OffsetCommitRequestTopic().setName(t))
                        .partitions()
                        .add(new OffsetCommitRequestPartition()
                                .setPartitionIndex(p.partition())
                                .setCommittedOffset(p.restored().offset())
                                .setCommittedLeaderEpoch(p.restored().leaderEpoch())
                                .setCommittedMetadata(p.restored().metadata()));
            } else if (p.currentOffset() != null) {
                deletes.computeIfAbsent(p.topic(), t -> new OffsetDeleteRequestTopic().setName(t))
                        .partitions()
                        .add(new OffsetDeleteRequestPartition().setPartitionIndex(p.partition()));
            }
        }
        if (!commits.isEmpty()) {
            OffsetCommitResponseData committed = await(coordinator.commitOffsets(
                    context,
                    new OffsetCommitRequestData()
                            .setGroupId(groupId)
                            .setGenerationIdOrMemberEpoch(-1)
                            .setMemberId("")
                            .setTopics(new ArrayList<>(commits.values()))));
            committed.topics().stream()
                    .flatMap(t -> t.partitions().stream())
                    .map(p -> Errors.forCode(p.errorCode()))
                    .filter(e -> e != Errors.NONE)
                    .findFirst()
                    .ifPresent(e -> {
                        throw e == Errors.UNKNOWN_MEMBER_ID || e == Errors.REBALANCE_IN_PROGRESS
                                ? notEmpty(groupId, "members that joined meanwhile")
                                : e.exception("Group " + groupId + ": the reset commit failed: " + e.message());
                    });
        }
        if (!deletes.isEmpty()) {
            OffsetDeleteResponseData deleted = await(coordinator.deleteOffsets(
                    context,
                    new OffsetDeleteRequestData()
                            .setGroupId(groupId)
                            .setTopics(new OffsetDeleteRequestTopicCollection(
                                    deletes.values().iterator()))));
            Errors error = Errors.forCode(deleted.errorCode());
            if (error != Errors.NONE) {
                throw error.exception("Group " + groupId + ": deleting offsets failed: " + error.message());
            }
        }
    }

    private static GroupNotEmptyException notEmpty(String groupId, String what) {
        return new GroupNotEmptyException(
                "Group " + groupId + " has " + what + "; stop its consumers before resetting its offsets");
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("The coordinator did not answer in time", e);
        }
    }
}
