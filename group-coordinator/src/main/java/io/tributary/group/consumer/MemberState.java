package io.tributary.group.consumer;

/**
 * Where a member is in reaching its target assignment (Kafka's {@code MemberState}):
 *
 * <ul>
 *   <li>{@code STABLE}: it has its whole target assignment at the target epoch;
 *   <li>{@code UNREVOKED_PARTITIONS}: it must first give up partitions the target takes away; it
 *       stays at its epoch until a heartbeat shows it no longer owns them;
 *   <li>{@code UNRELEASED_PARTITIONS}: it is at the target epoch but some of its target partitions
 *       are still owned by members that have not revoked them yet; it gets them once they are free.
 * </ul>
 */
public enum MemberState {
    STABLE,
    UNREVOKED_PARTITIONS,
    UNRELEASED_PARTITIONS
}
