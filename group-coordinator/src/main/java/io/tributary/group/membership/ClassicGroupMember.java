package io.tributary.group.membership;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * One member of a classic group: who it is, the protocols it offered (in its order of
 * preference, with their opaque metadata), the assignment the leader gave it, and the JoinGroup
 * or SyncGroup answer it is waiting for. Not thread-safe: guarded by its group's lock.
 */
public final class ClassicGroupMember {

    private final String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    private final String protocolType;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private Map<String, byte[]> protocols;
    private byte[] assignment = new byte[0];
    private CompletableFuture<JoinGroupResponseData> awaitingJoin;
    private CompletableFuture<SyncGroupResponseData> awaitingSync;
    private short joinVersion;
    private short syncVersion;
    /** Wall-clock ms after which the member is expired unless it is waiting in a rebalance. */
    private long sessionDeadlineMs;

    ClassicGroupMember(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            String protocolType,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            JoinGroupRequestProtocolCollection protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.protocolType = protocolType;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = toMap(protocols);
    }

    /** A copy under a new member id, for a static member that rejoined: keeps its assignment. */
    ClassicGroupMember withMemberId(String newMemberId, String newClientId, String newClientHost) {
        ClassicGroupMember copy = new ClassicGroupMember(
                newMemberId,
                groupInstanceId,
                newClientId,
                newClientHost,
                protocolType,
                rebalanceTimeoutMs,
                sessionTimeoutMs,
                null);
        copy.protocols = protocols;
        copy.assignment = assignment;
        return copy;
    }

    /** A member of a stored Stable generation, with its assignment. */
    static ClassicGroupMember restored(ClassicGroupSnapshot.Member stored, String protocolType) {
        ClassicGroupMember member = new ClassicGroupMember(
                stored.memberId(),
                stored.groupInstanceId(),
                stored.clientId(),
                stored.clientHost(),
                protocolType,
                stored.rebalanceTimeoutMs(),
                stored.sessionTimeoutMs(),
                null);
        stored.protocols().forEach(p -> member.protocols.putIfAbsent(p.name(), p.metadata()));
        member.assignment = stored.assignment() == null ? new byte[0] : stored.assignment();
        return member;
    }

    ClassicGroupSnapshot.Member snapshot() {
        return new ClassicGroupSnapshot.Member(
                memberId,
                groupInstanceId,
                clientId,
                clientHost,
                rebalanceTimeoutMs,
                sessionTimeoutMs,
                protocols.entrySet().stream()
                        .map(e -> new ClassicGroupSnapshot.Protocol(e.getKey(), e.getValue()))
                        .toList(),
                assignment);
    }

    static Map<String, byte[]> toMap(JoinGroupRequestProtocolCollection protocols) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        if (protocols != null) {
            for (JoinGroupRequestProtocol protocol : protocols) {
                map.putIfAbsent(protocol.name(), protocol.metadata());
            }
        }
        return map;
    }

    public String memberId() {
        return memberId;
    }

    /** The static member's {@code group.instance.id}, or {@code null} for a dynamic member. */
    public String groupInstanceId() {
        return groupInstanceId;
    }

    public boolean isStatic() {
        return groupInstanceId != null;
    }

    public String clientId() {
        return clientId;
    }

    public String clientHost() {
        return clientHost;
    }

    public String protocolType() {
        return protocolType;
    }

    public int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    public int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    /** Protocol names in the member's order of preference. */
    public Set<String> protocolNames() {
        return protocols.keySet();
    }

    /** The member's metadata for {@code protocol}, empty if it does not offer it. */
    public byte[] metadata(String protocol) {
        byte[] metadata = protocol == null ? null : protocols.get(protocol);
        return metadata == null ? new byte[0] : metadata;
    }

    /** Whether {@code other} offers the same protocols, in the same order, with the same metadata. */
    boolean sameProtocols(JoinGroupRequestProtocolCollection other) {
        Map<String, byte[]> otherMap = toMap(other);
        if (!otherMap.keySet().stream()
                .toList()
                .equals(protocols.keySet().stream().toList())) {
            return false;
        }
        return protocols.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), otherMap.get(e.getKey())));
    }

    /** The member's first preference among {@code candidates}. */
    String vote(Set<String> candidates) {
        return protocols.keySet().stream()
                .filter(candidates::contains)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "Member " + memberId + " supports none of the candidate protocols " + candidates));
    }

    void update(JoinGroupRequestProtocolCollection newProtocols, int newRebalanceTimeoutMs, int newSessionTimeoutMs) {
        this.protocols = toMap(newProtocols);
        this.rebalanceTimeoutMs = newRebalanceTimeoutMs;
        this.sessionTimeoutMs = newSessionTimeoutMs;
    }

    public byte[] assignment() {
        return assignment;
    }

    void setAssignment(byte[] assignment) {
        this.assignment = assignment == null ? new byte[0] : assignment;
    }

    CompletableFuture<JoinGroupResponseData> awaitingJoin() {
        return awaitingJoin;
    }

    void setAwaitingJoin(CompletableFuture<JoinGroupResponseData> future) {
        this.awaitingJoin = future;
    }

    public boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    CompletableFuture<SyncGroupResponseData> awaitingSync() {
        return awaitingSync;
    }

    void setAwaitingSync(CompletableFuture<SyncGroupResponseData> future) {
        this.awaitingSync = future;
    }

    public boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    /** Version of the JoinGroup whose answer is held: the answer is written at that version. */
    short joinVersion() {
        return joinVersion;
    }

    void setJoinVersion(short joinVersion) {
        this.joinVersion = joinVersion;
    }

    /** Version of the SyncGroup whose answer is held. */
    short syncVersion() {
        return syncVersion;
    }

    void setSyncVersion(short syncVersion) {
        this.syncVersion = syncVersion;
    }

    long sessionDeadlineMs() {
        return sessionDeadlineMs;
    }

    void setSessionDeadlineMs(long sessionDeadlineMs) {
        this.sessionDeadlineMs = sessionDeadlineMs;
    }

    @Override
    public String toString() {
        return "ClassicGroupMember(memberId=" + memberId + ", groupInstanceId=" + groupInstanceId + ", clientId="
                + clientId + ", clientHost=" + clientHost + ")";
    }
}
