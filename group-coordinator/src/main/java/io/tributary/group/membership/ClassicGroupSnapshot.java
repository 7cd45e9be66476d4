package io.tributary.group.membership;

import java.util.List;

/**
 * A Stable generation of a classic group, as Kafka keeps it in its group metadata record: what a
 * coordinator that takes the group over needs so that the members carry on in the same generation
 * without a rebalance.
 *
 * @param groupId      the group id
 * @param protocolType the members' protocol type ({@code consumer} for consumers)
 * @param protocolName the protocol (assignor) of the generation
 * @param generationId the generation
 * @param leaderId     the member that made the assignment
 * @param members      the members, in join order
 */
public record ClassicGroupSnapshot(
        String groupId,
        String protocolType,
        String protocolName,
        int generationId,
        String leaderId,
        List<Member> members) {

    /**
     * One member of the generation.
     *
     * @param protocols  the protocols it offered, in its order of preference
     * @param assignment what the leader assigned it
     */
    public record Member(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            List<Protocol> protocols,
            byte[] assignment) {}

    /** A protocol a member offered and its opaque metadata. */
    public record Protocol(String name, byte[] metadata) {}
}
