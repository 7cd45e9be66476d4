package io.tributary.group.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.protocol.ProtocolServerConfig;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.membership.ClassicGroup;
import io.tributary.group.membership.GroupState;
import io.tributary.group.testing.CoordinatorHarness;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The group handlers behind the shared Kafka-protocol server, driven over TCP by kafka-clients'
 * own NetworkClient (the engine a broker forwards with): real request bytes, ApiVersions
 * negotiation, and a JoinGroup answer held across other requests on other connections.
 */
class GroupProtocolWireIT {

    final CoordinatorHarness h = new CoordinatorHarness();
    KafkaProtocolServer server;
    KafkaProtocolClient client;
    Node consumerA;
    Node consumerB;

    @BeforeEach
    void start() {
        GroupCoordinator c = h.coordinator;
        server = new KafkaProtocolServer(
                ProtocolServerConfig.of("127.0.0.1", 0).withIoThreads(1), GroupHandlers.registry(c));
        server.start();
        client = new KafkaProtocolClient("broker-1", Duration.ofSeconds(20));
        // one connection per forwarded consumer: a held JoinGroup must not queue other answers
        consumerA = new Node(1, "127.0.0.1", server.port());
        consumerB = new Node(2, "127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @SuppressWarnings("unchecked")
    <T extends AbstractResponse> T send(Node node, AbstractRequest.Builder<?> request) throws Exception {
        return (T) client.send(node, request).get(10, TimeUnit.SECONDS);
    }

    static JoinGroupRequestData join(String memberId) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(
                new JoinGroupRequestProtocol().setName("cooperative-sticky").setMetadata(new byte[] {4, 2}));
        return new JoinGroupRequestData()
                .setGroupId("wire")
                .setMemberId(memberId)
                .setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(20_000)
                .setProtocolType("consumer")
                .setProtocols(protocols);
    }

    /** The held join reached the coordinator (the network is asynchronous; time is manual). */
    void awaitPreparingRebalance() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            ClassicGroup group = h.registry.cached("wire");
            return group != null && h.membership.view(group).state() == GroupState.PREPARING_REBALANCE;
        });
    }

    /** {@code request} as a broker received it from {@code clientId} at {@code host}, to relay in an envelope. */
    static DecodedRequest receivedByBroker(AbstractRequest request, String clientId, String host) throws Exception {
        return new DecodedRequest(
                new RequestHeader(request.apiKey(), request.version(), clientId, 17),
                request.apiKey(),
                request.version(),
                request,
                clientId,
                new InetSocketAddress(InetAddress.getByName(host), 53_412),
                "broker-connection",
                0);
    }

    @SuppressWarnings("unchecked")
    <T extends AbstractResponse> T relay(Node node, DecodedRequest request) throws Exception {
        return (T) client.relayInEnvelope(node, request).get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldAdvertiseTheGroupApisAndApiVersions() throws Exception {
        ApiVersionsResponse versions = send(consumerA, new ApiVersionsRequest.Builder());
        Map<Short, ApiVersion> byKey = new java.util.HashMap<>();
        versions.data().apiKeys().forEach(v -> byKey.put(v.apiKey(), v));
        assertThat(byKey.keySet())
                .containsExactlyInAnyOrder(
                        ApiKeys.API_VERSIONS.id,
                        ApiKeys.JOIN_GROUP.id,
                        ApiKeys.SYNC_GROUP.id,
                        ApiKeys.HEARTBEAT.id,
                        ApiKeys.LEAVE_GROUP.id,
                        ApiKeys.OFFSET_COMMIT.id,
                        ApiKeys.OFFSET_FETCH.id,
                        ApiKeys.DESCRIBE_GROUPS.id,
                        ApiKeys.LIST_GROUPS.id,
                        ApiKeys.DELETE_GROUPS.id,
                        ApiKeys.OFFSET_DELETE.id,
                        ApiKeys.CONSUMER_GROUP_HEARTBEAT.id,
                        ApiKeys.CONSUMER_GROUP_DESCRIBE.id,
                        ApiKeys.ENVELOPE.id);
        assertThat(byKey.get(ApiKeys.JOIN_GROUP.id).maxVersion()).isEqualTo((short) 9);
        assertThat(byKey.get(ApiKeys.OFFSET_COMMIT.id).maxVersion()).isEqualTo((short) 9);
        assertThat(byKey.get(ApiKeys.OFFSET_FETCH.id).maxVersion()).isEqualTo((short) 9);
        assertThat(byKey.get(ApiKeys.OFFSET_COMMIT.id).minVersion()).isEqualTo(ApiKeys.OFFSET_COMMIT.oldestVersion());
    }

    @Test
    void shouldRunAConsumersGroupLifecycleOverTheWire() throws Exception {
        JoinGroupResponse first = send(consumerA, new JoinGroupRequest.Builder(join("")));
        assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        String memberId = first.data().memberId();

        CompletableFuture<AbstractResponse> held = client.send(consumerA, new JoinGroupRequest.Builder(join(memberId)));
        awaitPreparingRebalance();
        // while the join is held, another connection is answered
        ListGroupsResponse listed = send(consumerB, new ListGroupsRequest.Builder(new ListGroupsRequestData()));
        assertThat(listed.data().groups())
                .singleElement()
                .satisfies(g -> assertThat(g.groupState()).isEqualTo("PreparingRebalance"));
        assertThat(held).isNotDone();
        h.timer.advance(3_000);
        JoinGroupResponseData joined = ((JoinGroupResponse) held.get(10, TimeUnit.SECONDS)).data();
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.leader()).isEqualTo(memberId);
        assertThat(joined.members())
                .singleElement()
                .satisfies(m -> assertThat(m.metadata()).containsExactly(4, 2));

        SyncGroupResponse synced = send(
                consumerA,
                new SyncGroupRequest.Builder(new SyncGroupRequestData()
                        .setGroupId("wire")
                        .setMemberId(memberId)
                        .setGenerationId(1)
                        .setProtocolType("consumer")
                        .setProtocolName("cooperative-sticky")
                        .setAssignments(List.of(new SyncGroupRequestAssignment()
                                .setMemberId(memberId)
                                .setAssignment(new byte[] {7, 7})))));
        assertThat(synced.data().assignment()).containsExactly(7, 7);
        HeartbeatResponse beat = send(
                consumerA,
                new HeartbeatRequest.Builder(new HeartbeatRequestData()
                        .setGroupId("wire")
                        .setMemberId(memberId)
                        .setGenerationId(1)));
        assertThat(beat.error()).isEqualTo(Errors.NONE);

        OffsetCommitResponse committed = send(
                consumerA,
                OffsetCommitRequest.Builder.forTopicNames(new OffsetCommitRequestData()
                        .setGroupId("wire")
                        .setMemberId(memberId)
                        .setGenerationIdOrMemberEpoch(1)
                        .setTopics(List.of(new OffsetCommitRequestTopic()
                                .setName("events")
                                .setPartitions(List.of(new OffsetCommitRequestPartition()
                                        .setPartitionIndex(3)
                                        .setCommittedOffset(42)
                                        .setCommittedLeaderEpoch(2)
                                        .setCommittedMetadata("meta")))))));
        assertThat(committed.errorCounts()).containsOnlyKeys(Errors.NONE);

        OffsetFetchResponse fetched = send(
                consumerB,
                OffsetFetchRequest.Builder.forTopicNames(
                        new org.apache.kafka.common.message.OffsetFetchRequestData()
                                .setGroups(List.of(
                                        new org.apache.kafka.common.message.OffsetFetchRequestData
                                                        .OffsetFetchRequestGroup()
                                                .setGroupId("wire")
                                                .setTopics(null))),
                        false));
        var partition =
                fetched.data().groups().get(0).topics().get(0).partitions().get(0);
        assertThat(partition.committedOffset()).isEqualTo(42);
        assertThat(partition.committedLeaderEpoch()).isEqualTo(2);
        assertThat(partition.metadata()).isEqualTo("meta");

        DescribeGroupsResponse described = send(
                consumerB,
                new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData().setGroups(List.of("wire"))));
        assertThat(described.data().groups().get(0).groupState()).isEqualTo("Stable");
        assertThat(described.data().groups().get(0).members().get(0).clientId()).isEqualTo("broker-1");

        DeleteGroupsResponse notEmpty = send(
                consumerB,
                new DeleteGroupsRequest.Builder(new DeleteGroupsRequestData().setGroupsNames(List.of("wire"))));
        assertThat(notEmpty.errors()).containsEntry("wire", Errors.NON_EMPTY_GROUP);

        LeaveGroupResponse left = send(
                consumerA, new LeaveGroupRequest.Builder("wire", List.of(new MemberIdentity().setMemberId(memberId))));
        assertThat(left.topLevelError()).isEqualTo(Errors.NONE);
        DeleteGroupsResponse deleted = send(
                consumerB,
                new DeleteGroupsRequest.Builder(new DeleteGroupsRequestData().setGroupsNames(List.of("wire"))));
        assertThat(deleted.errors()).containsEntry("wire", Errors.NONE);
    }

    @Test
    void shouldServeARelayedJoinGroupAsTheConsumersOwnClientIdAndHost() throws Exception {
        String consumer = "consumer-wire-1";
        JoinGroupResponse first = relay(
                consumerA,
                receivedByBroker(new JoinGroupRequest.Builder(join("")).build((short) 9), consumer, "10.20.30.40"));
        assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        String memberId = first.data().memberId();
        assertThat(memberId).startsWith(consumer + "-");

        CompletableFuture<AbstractResponse> held = client.relayInEnvelope(
                consumerA,
                receivedByBroker(
                        new JoinGroupRequest.Builder(join(memberId)).build((short) 9), consumer, "10.20.30.40"));
        awaitPreparingRebalance();
        h.timer.advance(3_000);
        assertThat(((JoinGroupResponse) held.get(10, TimeUnit.SECONDS)).error()).isEqualTo(Errors.NONE);

        // described for an admin client elsewhere, relayed by another broker connection
        DescribeGroupsResponse described = relay(
                consumerB,
                receivedByBroker(
                        new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData().setGroups(List.of("wire")))
                                .build((short) 5),
                        "adminclient-1",
                        "10.9.9.9"));
        assertThat(described.data().groups())
                .singleElement()
                .satisfies(group -> assertThat(group.members()).singleElement().satisfies(member -> {
                    assertThat(member.memberId()).isEqualTo(memberId);
                    assertThat(member.clientId()).isEqualTo(consumer);
                    assertThat(member.clientHost()).isEqualTo("/10.20.30.40");
                }));
    }

    @Test
    void shouldServeAnOldJoinGroupVersion() throws Exception {
        JoinGroupRequestData data = join("");
        CompletableFuture<AbstractResponse> v3 = client.send(
                consumerA, new AbstractRequest.Builder<JoinGroupRequest>(ApiKeys.JOIN_GROUP, (short) 3, (short) 3) {
                    @Override
                    public JoinGroupRequest build(short version) {
                        return new JoinGroupRequest(data, version);
                    }
                });
        awaitPreparingRebalance();
        h.timer.advance(3_000);
        JoinGroupResponse response = (JoinGroupResponse) v3.get(10, TimeUnit.SECONDS);
        assertThat(response.error()).isEqualTo(Errors.NONE);
        assertThat(response.data().generationId()).isEqualTo(1);
    }
}
