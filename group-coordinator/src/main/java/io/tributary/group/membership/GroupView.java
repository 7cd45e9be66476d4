package io.tributary.group.membership;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;

/**
 * An immutable copy of a group taken under its lock, for describing and listing it and for
 * checks that need no lock afterwards.
 *
 * @param groupId          the group id
 * @param state            the state
 * @param protocolType     {@code consumer} for consumer groups, {@code null} for simple groups
 * @param protocolName     the selected protocol, {@code null} when Empty
 * @param generationId     the generation
 * @param leaderId         the leader's member id, {@code null} without members
 * @param stateTimestampMs wall-clock ms when the group entered its state
 * @param members          the members
 */
public record GroupView(
        String groupId,
        GroupState state,
        String protocolType,
        String protocolName,
        int generationId,
        String leaderId,
        long stateTimestampMs,
        List<MemberView> members) {

    /** A member: its identity, its metadata for the selected protocol, its assignment. */
    public record MemberView(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            byte[] metadata,
            byte[] assignment) {}

    /**
     * The topics the members subscribed to, read from the consumer protocol's subscription
     * (its v0 prefix, which every version keeps); empty if the group is not a consumer group or
     * a subscription cannot be read, in which case it counts as subscribed to everything.
     */
    public Optional<Set<String>> subscribedTopics() {
        if (!ConsumerProtocol.PROTOCOL_TYPE.equals(protocolType) || protocolName == null) {
            return Optional.empty();
        }
        Set<String> topics = new HashSet<>();
        try {
            for (MemberView member : members) {
                topics.addAll(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(member.metadata()))
                        .topics());
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(topics);
    }
}
