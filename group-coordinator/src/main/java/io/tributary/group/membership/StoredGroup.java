package io.tributary.group.membership;

/**
 * What survives a restart of a group: enough to answer ListGroups, DescribeGroups and
 * OffsetFetch for it and to continue its generations. The members of a Stable generation are
 * kept apart ({@link ClassicGroupStore}) and loaded when the group's partition is claimed.
 *
 * @param groupId          the group id
 * @param protocolType     {@code consumer} for consumer groups, empty for simple groups
 * @param protocolName     the assignor of the current generation, {@code null} when Empty
 * @param generationId     the current generation
 * @param state            the state's wire name at the time of writing
 * @param stateTimestampMs wall-clock ms when the group entered that state
 */
public record StoredGroup(
        String groupId,
        String protocolType,
        String protocolName,
        int generationId,
        String state,
        long stateTimestampMs) {

    static StoredGroup of(ClassicGroup group) {
        return new StoredGroup(
                group.groupId(),
                group.protocolType() == null ? "" : group.protocolType(),
                group.protocolName(),
                group.generationId(),
                group.state().wireName(),
                group.stateTimestampMs());
    }
}
