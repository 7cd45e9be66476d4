package io.tributary.group.consumer;

import io.tributary.group.config.ConsumerGroupProperties;
import io.tributary.group.consumer.assignor.AssignmentSpec;
import io.tributary.group.consumer.assignor.AssignmentSpec.MemberSpec;
import io.tributary.group.consumer.assignor.IdPartition;
import io.tributary.group.consumer.assignor.PartitionAssignor;
import io.tributary.group.membership.GroupTimer;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KIP-848 consumer-group protocol: ConsumerGroupHeartbeat (join, heartbeat, leave), session
 * and rebalance timeouts, and the member checks of OffsetCommit and OffsetFetch. One heartbeat,
 * under the group's monitor: check the request; join, update or leave the member; bump the group
 * epoch if the assignment depends on something that changed (membership, a subscription, a
 * subscribed topic's partitions); compute a new target assignment with the group's assignor if the
 * group epoch moved past it; move the member a step towards its target ({@link MemberReconciler});
 * answer with its epoch and, when it changed or the member asked in full, its assignment.
 *
 * <p>Knows nothing of the network and never blocks: topics come from a cached image, timers from
 * the {@link GroupTimer}. Thread-safe: each group is changed only under its own monitor.
 */
public final class ConsumerGroupCoordinator {

    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupCoordinator.class);

    private final ConsumerGroupProperties config;
    private final ConsumerGroups groups;
    private final TopicsImageSource topics;
    private final GroupTimer timer;
    private final Map<String, PartitionAssignor> assignors;
    private final SubscriptionResolver subscriptions = new SubscriptionResolver();

    public ConsumerGroupCoordinator(
            ConsumerGroupProperties config,
            ConsumerGroups groups,
            TopicsImageSource topics,
            GroupTimer timer,
            List<PartitionAssignor> available) {
        this.config = config;
        this.groups = groups;
        this.topics = topics;
        this.timer = timer;
        Map<String, PartitionAssignor> byName =
                available.stream().collect(Collectors.toMap(PartitionAssignor::name, Function.identity()));
        this.assignors = new LinkedHashMap<>();
        for (String name : config.assignors()) {
            PartitionAssignor assignor = byName.get(name);
            if (assignor == null) {
                throw new IllegalArgumentException("tributary.group.consumer.assignors: no assignor named " + name
                        + " (known: " + byName.keySet() + ")");
            }
            assignors.put(name, assignor);
        }
    }

    public ConsumerGroups groups() {
        return groups;
    }

    public TopicsImageSource topics() {
        return topics;
    }

    /** ConsumerGroupHeartbeat; failures are answered with their Kafka error code. */
    public ConsumerGroupHeartbeatResponseData heartbeat(
            ConsumerGroupHeartbeatRequestData request, short version, String clientId, String clientHost) {
        try {
            HeartbeatValidation.check(request, version, assignors.keySet());
            if (request.memberEpoch() < 0) {
                return leave(request);
            }
            while (true) {
                ConsumerGroup group = request.memberEpoch() == 0
                        ? groups.getOrCreate(request.groupId())
                        : groups.get(request.groupId());
                if (group == null) {
                    // the group is not known here (never was, or lost with a restart): the member rejoins
                    throw new UnknownMemberIdException("Group " + request.groupId() + " not found.");
                }
                synchronized (group) {
                    if (!group.isDead()) {
                        try {
                            return heartbeat(group, request, clientId, clientHost);
                        } finally {
                            groups.changed(group);
                        }
                    }
                }
            }
        } catch (ApiException e) {
            return new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(Errors.forException(e).code())
                    .setErrorMessage(e.getMessage());
        }
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(
            ConsumerGroup group, ConsumerGroupHeartbeatRequestData request, String clientId, String clientHost) {
        ConsumerGroupMember member =
                request.memberEpoch() == 0 ? join(group, request, clientId, clientHost) : existing(group, request);
        ConsumerGroupMember updated = withRequested(member.withClient(clientId, clientHost), request);
        boolean subscriptionChanged = !Objects.equals(updated.subscribedTopicNames(), member.subscribedTopicNames())
                || !Objects.equals(updated.subscribedTopicRegex(), member.subscribedTopicRegex())
                || !Objects.equals(updated.serverAssignor(), member.serverAssignor());
        group.put(updated);
        TopicsImage image = topics.current();
        Map<String, TopicsImage.Topic> subscribed = subscriptions.topicsOf(group.members(), image);
        if (subscriptionChanged || !subscribed.equals(group.subscribedTopics())) {
            group.setSubscribedTopics(subscribed);
            group.bumpGroupEpoch();
        }
        if (group.groupEpoch() > group.targetEpoch()) {
            computeTarget(group, image);
        }
        Set<IdPartition> owned = request.topicPartitions() == null ? null : owned(request);
        ConsumerGroupMember reconciled = MemberReconciler.reconcile(
                updated,
                group.targetEpoch(),
                group.targetOf(updated.memberId()),
                owned,
                p -> group.ownerOf(p).filter(o -> !o.equals(updated.memberId())).isPresent());
        group.put(reconciled);
        scheduleTimeouts(group, member, reconciled);
        if (reconciled.memberEpoch() != member.memberEpoch() || reconciled.state() != member.state()) {
            log.debug(
                    "Group {}: member {} at epoch {} ({}), {} partitions, group epoch {}",
                    group.groupId(),
                    reconciled.memberId(),
                    reconciled.memberEpoch(),
                    reconciled.state(),
                    reconciled.assigned().size(),
                    group.groupEpoch());
        }
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(reconciled.memberId())
                .setMemberEpoch(reconciled.memberEpoch())
                .setHeartbeatIntervalMs((int) config.heartbeatInterval().toMillis());
        if (isFull(request) || !reconciled.assigned().equals(member.assigned())) {
            response.setAssignment(Assignments.toResponse(reconciled.assigned()));
        }
        return response;
    }

    /** The member with what the heartbeat changed: a null (or -1) field means "as before". */
    private static ConsumerGroupMember withRequested(
            ConsumerGroupMember member, ConsumerGroupHeartbeatRequestData request) {
        return member.withSubscription(
                request.rackId() != null ? request.rackId() : member.rackId(),
                request.rebalanceTimeoutMs() != -1 ? request.rebalanceTimeoutMs() : member.rebalanceTimeoutMs(),
                request.subscribedTopicNames() != null ? request.subscribedTopicNames() : member.subscribedTopicNames(),
                request.subscribedTopicRegex() != null
                        ? emptyToNull(request.subscribedTopicRegex())
                        : member.subscribedTopicRegex(),
                request.serverAssignor() != null ? request.serverAssignor() : member.serverAssignor());
    }

    /**
     * A full heartbeat (a join, or a consumer recovering from an error) gets the assignment even
     * if it did not change: the consumer may have lost the answer that carried it.
     */
    private static boolean isFull(ConsumerGroupHeartbeatRequestData request) {
        return request.memberEpoch() == 0
                || (request.rebalanceTimeoutMs() != -1
                        && (request.subscribedTopicNames() != null || request.subscribedTopicRegex() != null)
                        && request.topicPartitions() != null);
    }

    /** Epoch 0: a new member, a member rejoining, or a static member coming back. */
    private ConsumerGroupMember join(
            ConsumerGroup group, ConsumerGroupHeartbeatRequestData request, String clientId, String clientHost) {
        String memberId = request.memberId().isEmpty() ? Uuid.randomUuid().toString() : request.memberId();
        ConsumerGroupMember known = group.member(memberId).orElse(null);
        if (known != null) {
            return known;
        }
        if (request.instanceId() != null) {
            ConsumerGroupMember previous =
                    group.memberByInstance(request.instanceId()).orElse(null);
            if (previous != null) {
                if (previous.memberEpoch() != ConsumerGroupMember.STATIC_LEFT_EPOCH) {
                    throw new UnreleasedInstanceIdException("Static member " + previous.memberId()
                            + " with instance id " + request.instanceId() + " is still active.");
                }
                // the returning static member takes over its predecessor's place, without a rebalance
                group.moveTarget(previous.memberId(), memberId);
                group.remove(previous.memberId());
                timer.cancel(sessionKey(group, previous.memberId()));
                ConsumerGroupMember replacement = previous.withMemberId(memberId, previous.previousMemberEpoch());
                group.put(replacement);
                log.info("Group {}: static member {} rejoined as {}", group.groupId(), request.instanceId(), memberId);
                return replacement;
            }
        }
        if (group.members().size() >= config.maxSize()) {
            throw new GroupMaxSizeReachedException(
                    "The consumer group has reached its maximum capacity of " + config.maxSize() + " members.");
        }
        // its subscription, set next, moves the group epoch
        log.info("Group {}: member {} ({}) joined", group.groupId(), memberId, clientId);
        return ConsumerGroupMember.joining(memberId, request.instanceId(), clientId, clientHost);
    }

    /** Epoch above 0: a known member at its epoch, or the one before if it owns no more than it was given. */
    private static ConsumerGroupMember existing(ConsumerGroup group, ConsumerGroupHeartbeatRequestData request) {
        ConsumerGroupMember member = group.member(request.memberId())
                .orElseThrow(() -> new UnknownMemberIdException(
                        "Member " + request.memberId() + " is not a member of group " + group.groupId() + "."));
        int epoch = request.memberEpoch();
        if (epoch > member.memberEpoch()) {
            throw fenced(epoch, member);
        }
        if (epoch < member.memberEpoch()) {
            // the answer that bumped the epoch may have been lost: forgiven if nothing more is owned
            boolean lostResponse = epoch == member.previousMemberEpoch()
                    && request.topicPartitions() != null
                    && member.assigned().containsAll(owned(request));
            if (!lostResponse) {
                throw fenced(epoch, member);
            }
        }
        return member;
    }

    private static FencedMemberEpochException fenced(int epoch, ConsumerGroupMember member) {
        return new FencedMemberEpochException("The consumer group member has member epoch " + epoch
                + " but the group coordinator knows epoch " + member.memberEpoch()
                + ". The member must abandon all its partitions and rejoin.");
    }

    /** Epoch -1 (leave) or -2 (a static member leaving for now, keeping its partitions). */
    private ConsumerGroupHeartbeatResponseData leave(ConsumerGroupHeartbeatRequestData request) {
        ConsumerGroup group = groups.get(request.groupId());
        if (group == null) {
            throw new UnknownMemberIdException("Group " + request.groupId() + " not found.");
        }
        synchronized (group) {
            ConsumerGroupMember member = request.instanceId() != null
                    ? group.memberByInstance(request.instanceId()).orElse(null)
                    : group.member(request.memberId()).orElse(null);
            if (member == null) {
                throw new UnknownMemberIdException(
                        "Member " + request.memberId() + " is not a member of group " + group.groupId() + ".");
            }
            if (!member.memberId().equals(request.memberId())) {
                throw new FencedInstanceIdException("Static member " + request.instanceId() + " is " + member.memberId()
                        + ", not " + request.memberId() + ".");
            }
            if (request.memberEpoch() == ConsumerGroupMember.STATIC_LEFT_EPOCH) {
                // keeps its place and partitions until it returns or its session runs out
                group.put(member.withAssignment(
                        member.state(),
                        ConsumerGroupMember.STATIC_LEFT_EPOCH,
                        member.assigned(),
                        member.pendingRevocation()));
                log.info("Group {}: static member {} left for now", group.groupId(), request.instanceId());
            } else {
                removeMember(group, member.memberId(), "left");
            }
            groups.changed(group);
            return new ConsumerGroupHeartbeatResponseData()
                    .setMemberId(member.memberId())
                    .setMemberEpoch(request.memberEpoch());
        }
    }

    /** Computes the group's target assignment at its current group epoch. */
    private void computeTarget(ConsumerGroup group, TopicsImage image) {
        PartitionAssignor assignor = assignorFor(group);
        Map<String, MemberSpec> members = new HashMap<>();
        Map<Uuid, Integer> partitions = new HashMap<>();
        group.subscribedTopics().values().forEach(t -> partitions.put(t.id(), t.partitions()));
        for (ConsumerGroupMember member : group.members()) {
            members.put(
                    member.memberId(),
                    new MemberSpec(subscriptions.topicIdsOf(member, image), group.targetOf(member.memberId())));
        }
        group.setTarget(assignor.assign(new AssignmentSpec(members, partitions)), assignor.name());
        log.info(
                "Group {}: new target assignment at epoch {} by {} for {} members over {} partitions",
                group.groupId(),
                group.targetEpoch(),
                assignor.name(),
                members.size(),
                partitions.values().stream().mapToInt(Integer::intValue).sum());
    }

    /** The assignor most members ask for; the first configured one if none asks. */
    private PartitionAssignor assignorFor(ConsumerGroup group) {
        Map<String, Long> votes = group.members().stream()
                .map(ConsumerGroupMember::serverAssignor)
                .filter(Objects::nonNull)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        return votes.entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> assignors.get(e.getKey()))
                .orElseGet(() -> assignors.values().iterator().next());
    }

    private void scheduleTimeouts(ConsumerGroup group, ConsumerGroupMember before, ConsumerGroupMember after) {
        String memberId = after.memberId();
        long sessionMs = config.sessionTimeout().toMillis();
        group.setSessionDeadline(memberId, timer.nowMs() + sessionMs);
        timer.schedule(sessionKey(group, memberId), sessionMs, () -> expire(group, memberId, "session timed out"));
        String revokeKey = revokeKey(group, memberId);
        if (after.state() == MemberState.UNREVOKED_PARTITIONS && before.state() != MemberState.UNREVOKED_PARTITIONS) {
            int epoch = after.memberEpoch();
            timer.schedule(revokeKey, Math.max(after.rebalanceTimeoutMs(), 0), () -> {
                synchronized (group) {
                    group.member(memberId)
                            .filter(m -> m.state() == MemberState.UNREVOKED_PARTITIONS && m.memberEpoch() == epoch)
                            .ifPresent(
                                    m -> removeMember(group, memberId, "did not revoke within its rebalance timeout"));
                }
            });
        } else if (after.state() != MemberState.UNREVOKED_PARTITIONS) {
            timer.cancel(revokeKey);
        }
    }

    private void expire(ConsumerGroup group, String memberId, String reason) {
        synchronized (group) {
            if (group.member(memberId).isPresent() && timer.nowMs() >= group.sessionDeadline(memberId)) {
                removeMember(group, memberId, reason);
            }
        }
    }

    /** Removes a member (leave, or fenced by a timeout); the others rebalance. Caller holds the monitor. */
    private void removeMember(ConsumerGroup group, String memberId, String reason) {
        group.remove(memberId).ifPresent(removed -> {
            timer.cancel(sessionKey(group, memberId));
            timer.cancel(revokeKey(group, memberId));
            group.bumpGroupEpoch();
            log.info(
                    "Group {}: member {} ({}) removed: {}; group epoch {}",
                    group.groupId(),
                    memberId,
                    removed.clientId(),
                    reason,
                    group.groupEpoch());
        });
        groups.changed(group);
    }

    private static String sessionKey(ConsumerGroup group, String memberId) {
        return "consumer-session:" + group.groupId() + ":" + memberId;
    }

    private static String revokeKey(ConsumerGroup group, String memberId) {
        return "consumer-revoke:" + group.groupId() + ":" + memberId;
    }

    private static Set<IdPartition> owned(ConsumerGroupHeartbeatRequestData request) {
        return Assignments.fromRequest(request.topicPartitions());
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * The member check of OffsetCommit (v9+ carries the member id and epoch) and OffsetFetch: the
     * admin client (epoch -1, no member) may commit only into an empty group and always fetch.
     *
     * @return NONE, UNKNOWN_MEMBER_ID, STALE_MEMBER_EPOCH (an older epoch) or FENCED_MEMBER_EPOCH (a newer one)
     */
    public Errors validateOffsetRequest(ConsumerGroup group, String memberId, int memberEpoch, boolean commit) {
        synchronized (group) {
            boolean anonymous = memberEpoch < 0 && (memberId == null || memberId.isEmpty());
            if (anonymous && (!commit || group.isEmpty())) {
                return Errors.NONE;
            }
            ConsumerGroupMember member =
                    memberId == null ? null : group.member(memberId).orElse(null);
            if (member == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (memberEpoch > member.memberEpoch() && commit) {
                return Errors.FENCED_MEMBER_EPOCH;
            }
            return memberEpoch != member.memberEpoch() ? Errors.STALE_MEMBER_EPOCH : Errors.NONE;
        }
    }

    /** The topic names the members subscribe to, by name (existing or not) or by regex; none when empty. */
    public Set<String> subscribedTopicNames(ConsumerGroup group) {
        synchronized (group) {
            Set<String> names = new TreeSet<>(
                    subscriptions.topicsOf(group.members(), topics.current()).keySet());
            group.members().forEach(m -> names.addAll(m.subscribedTopicNames()));
            return names;
        }
    }

    /** Deletes an empty group: NON_EMPTY_GROUP while it has members. */
    public Errors delete(ConsumerGroup group) {
        synchronized (group) {
            if (group.isDead()) {
                return Errors.GROUP_ID_NOT_FOUND;
            }
            if (!group.isEmpty()) {
                return Errors.NON_EMPTY_GROUP;
            }
            groups.remove(group);
            log.info("Group {}: consumer group deleted", group.groupId());
            return Errors.NONE;
        }
    }

    /**
     * Forgets the groups {@code unloaded} selects, which another coordinator serves now (their
     * group partition moved): their timers stop and they are Dead here. Their members, sent to the
     * new owner by NOT_COORDINATOR, carry on there at their epochs: it loads the groups from the
     * shared store ({@link #load}).
     *
     * @return how many groups were unloaded
     */
    public int unload(Predicate<String> unloaded) {
        int count = 0;
        for (ConsumerGroup group : groups.all()) {
            if (!unloaded.test(group.groupId())) {
                continue;
            }
            synchronized (group) {
                for (ConsumerGroupMember member : group.members()) {
                    timer.cancel(sessionKey(group, member.memberId()));
                    timer.cancel(revokeKey(group, member.memberId()));
                }
                groups.unload(group);
            }
            count++;
        }
        if (count > 0) {
            log.info("Unloaded {} consumer groups: another coordinator serves them now", count);
        }
        return count;
    }

    /**
     * Takes over the stored groups of the group partitions this instance has just claimed, read
     * in one query: their members keep their epochs and assignments, and their sessions start
     * now. Blocks on the store: call it before serving the partitions, never on a request thread.
     *
     * @return how many groups were loaded
     */
    public int load(Collection<Integer> partitions) {
        List<ConsumerGroup> loaded = groups.load(partitions);
        for (ConsumerGroup group : loaded) {
            synchronized (group) {
                for (ConsumerGroupMember member : group.members()) {
                    scheduleTimeouts(group, ConsumerGroupMember.joining(member.memberId(), null, "", ""), member);
                }
            }
        }
        if (!loaded.isEmpty()) {
            log.info(
                    "Loaded {} consumer groups of {} group partitions from the store: {}",
                    loaded.size(),
                    partitions.size(),
                    loaded.stream().map(ConsumerGroup::groupId).sorted().toList());
        }
        return loaded.size();
    }

    /** A classic group takes the id of an empty consumer group; false if the group has members. */
    public boolean releaseIfEmpty(ConsumerGroup group) {
        synchronized (group) {
            if (!group.isEmpty()) {
                return false;
            }
            groups.remove(group);
            log.info("Group {}: empty consumer group converted to a classic group", group.groupId());
            return true;
        }
    }
}
