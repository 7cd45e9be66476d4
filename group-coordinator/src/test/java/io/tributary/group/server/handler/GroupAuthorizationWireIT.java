package io.tributary.group.server.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.protocol.ProtocolServerConfig;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import io.tributary.common.security.acl.Authorizer;
import io.tributary.group.consumer.TopicsImage;
import io.tributary.group.consumer.TopicsImage.Topic;
import io.tributary.group.testing.CoordinatorHarness;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.TopicPartitions;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The group-coordinator's own ACL checks, over TCP as a broker (or anyone who reaches the
 * listener) sends them: a request sent directly is checked as the connection's principal, one in
 * an Envelope as the principal the Envelope carries, an Envelope only from a sender with
 * CLUSTER_ACTION; OffsetCommit and OffsetFetch are checked topic by topic, DescribeGroups
 * reports the principal's operations and ConsumerGroupDescribe hides a group whose assignments name
 * a topic the principal may not describe. The ACLs are a plain list the real {@link Authorizer} reads
 * (the ZooKeeper store behind it in the service is tested with the brokers).
 */
class GroupAuthorizationWireIT {

    private static final String GROUP = "orders";
    private static final String ALICE = "User:alice";
    private static final String ADMIN = "User:admin";

    final CoordinatorHarness h = new CoordinatorHarness();
    final List<AclBinding> acls = new CopyOnWriteArrayList<>();
    KafkaProtocolServer server;
    KafkaProtocolClient client;
    Node coordinator;

    @BeforeEach
    void start() {
        // the forwarding broker connects over PLAINTEXT here, so it is User:ANONYMOUS
        acls.add(acl(ResourceType.CLUSTER, Authorizer.CLUSTER, "User:ANONYMOUS", AclOperation.CLUSTER_ACTION));
        acls.add(acl(ResourceType.GROUP, GROUP, ALICE, AclOperation.READ));
        acls.add(acl(ResourceType.TOPIC, "paid", ALICE, AclOperation.READ));
        Authorizer authorizer = new Authorizer(true, Set.of(ADMIN), false, () -> List.copyOf(acls));
        server = new KafkaProtocolServer(
                ProtocolServerConfig.of("127.0.0.1", 0).withIoThreads(1),
                GroupHandlers.registry(h.coordinator, authorizer));
        server.start();
        client = new KafkaProtocolClient("broker-1", Duration.ofSeconds(20));
        coordinator = new Node(1, "127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void shouldRefuseARequestSentDirectlyByAPrincipalWithoutAcls() throws Exception {
        OffsetCommitResponse refused =
                (OffsetCommitResponse) client.send(coordinator, commit("paid")).get(10, TimeUnit.SECONDS);

        assertThat(refused.errorCounts()).containsOnlyKeys(Errors.GROUP_AUTHORIZATION_FAILED);
    }

    @Test
    void shouldCommitAndFetchOnlyTheTopicsTheForwardedPrincipalMayRead() throws Exception {
        OffsetCommitResponse byAdmin = relay(ADMIN, commit("paid", "refunds").build((short) 9));
        assertThat(byAdmin.errorCounts()).containsOnlyKeys(Errors.NONE);

        OffsetCommitResponse byAlice = relay(ALICE, commit("paid", "refunds").build((short) 9));
        Map<String, Errors> errors = new java.util.HashMap<>();
        byAlice.data()
                .topics()
                .forEach(topic ->
                        topic.partitions().forEach(p -> errors.put(topic.name(), Errors.forCode(p.errorCode()))));
        assertThat(errors)
                .containsEntry("paid", Errors.NONE)
                .containsEntry("refunds", Errors.TOPIC_AUTHORIZATION_FAILED);

        // every topic: the unreadable one is left out
        OffsetFetchResponseGroup all = fetch(ALICE, null);
        assertThat(all.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(all.topics()).extracting(OffsetFetchResponseTopics::name).containsExactly("paid");
        // named: refused per partition, without the offset
        OffsetFetchResponseGroup named = fetch(ALICE, List.of("paid", "refunds"));
        OffsetFetchResponseTopics refunds = named.topics().stream()
                .filter(topic -> topic.name().equals("refunds"))
                .findFirst()
                .orElseThrow();
        assertThat(refunds.partitions()).singleElement().satisfies(p -> {
            assertThat(p.errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            assertThat(p.committedOffset()).isEqualTo(-1L);
        });
        // the super user sees both
        assertThat(fetch(ADMIN, null).topics())
                .extracting(OffsetFetchResponseTopics::name)
                .containsExactlyInAnyOrder("paid", "refunds");
    }

    @Test
    void shouldDescribeTheForwardedPrincipalsOperationsOnAGroup() throws Exception {
        relay(ADMIN, commit("paid").build((short) 9));
        DescribeGroupsRequest describe = new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData()
                        .setGroups(List.of(GROUP, "elsewhere"))
                        .setIncludeAuthorizedOperations(true))
                .build((short) 5);

        DescribeGroupsResponse described = relay(ALICE, describe);

        Map<String, Integer> errors = described.data().groups().stream()
                .collect(Collectors.toMap(g -> g.groupId(), g -> (int) g.errorCode()));
        assertThat(errors).containsEntry(GROUP, (int) Errors.NONE.code()).containsEntry("elsewhere", (int)
                Errors.GROUP_AUTHORIZATION_FAILED.code());
        int operations = described.data().groups().stream()
                .filter(g -> g.groupId().equals(GROUP))
                .findFirst()
                .orElseThrow()
                .authorizedOperations();
        // READ implies DESCRIBE; DELETE and the configs are not granted
        assertThat(Utils.from32BitField(operations))
                .containsExactlyInAnyOrder(AclOperation.READ.code(), AclOperation.DESCRIBE.code());
    }

    @Test
    void shouldHideAConsumerGroupWhoseAssignmentNamesATopicThePrincipalMayNotDescribe() throws Exception {
        h.topics = TopicsImage.of(new Topic("paid", new Uuid(1, 1), 1), new Topic("refunds", new Uuid(2, 2), 1));
        ConsumerGroupHeartbeatResponse joined = relay(
                ADMIN,
                new ConsumerGroupHeartbeatRequest.Builder(new ConsumerGroupHeartbeatRequestData()
                                .setGroupId(GROUP)
                                .setMemberId(Uuid.randomUuid().toString())
                                .setMemberEpoch(0)
                                .setRebalanceTimeoutMs(30_000)
                                .setSubscribedTopicNames(List.of("paid", "refunds"))
                                .setTopicPartitions(List.of()))
                        .build((short) 1));
        assertThat(joined.data().errorCode()).as(joined.data().errorMessage()).isZero();

        // alice may describe the group and "paid", not "refunds": the whole group is hidden
        DescribedGroup refused = consumerGroupDescribe(ALICE);
        assertThat(refused.errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(refused.errorMessage()).isEqualTo(ConsumerGroupDescribeHandler.UNDESCRIBABLE_TOPICS);
        assertThat(refused.members()).isEmpty();
        // the super user sees the member and both topics in its assignment
        DescribedGroup byAdmin = consumerGroupDescribe(ADMIN);
        assertThat(byAdmin.errorCode()).isZero();
        assertThat(byAdmin.members())
                .singleElement()
                .satisfies(member -> assertThat(member.assignment().topicPartitions())
                        .extracting(TopicPartitions::topicName)
                        .containsExactlyInAnyOrder("paid", "refunds"));

        acls.add(acl(ResourceType.TOPIC, "refunds", ALICE, AclOperation.DESCRIBE));
        DescribedGroup granted = consumerGroupDescribe(ALICE);
        assertThat(granted.errorCode()).isZero();
        assertThat(granted.members()).hasSize(1);
    }

    @Test
    void shouldRefuseAnEnvelopeFromASenderWithoutClusterAction() {
        acls.removeIf(acl -> acl.entry().operation() == AclOperation.CLUSTER_ACTION);

        assertThatThrownBy(() -> relay(ADMIN, commit("paid").build((short) 9)))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
    }

    private static OffsetCommitRequest.Builder commit(String... topics) {
        List<OffsetCommitRequestTopic> committed = new ArrayList<>();
        for (String topic : topics) {
            committed.add(new OffsetCommitRequestTopic()
                    .setName(topic)
                    .setPartitions(List.of(new OffsetCommitRequestPartition()
                            .setPartitionIndex(0)
                            .setCommittedOffset(7))));
        }
        // a commit outside any generation, as Admin.alterConsumerGroupOffsets sends
        return OffsetCommitRequest.Builder.forTopicNames(new OffsetCommitRequestData()
                .setGroupId(GROUP)
                .setMemberId("")
                .setGenerationIdOrMemberEpoch(-1)
                .setTopics(committed));
    }

    private OffsetFetchResponseGroup fetch(String principal, List<String> topics) throws Exception {
        List<OffsetFetchRequestTopics> named = topics == null
                ? null
                : topics.stream()
                        .map(topic ->
                                new OffsetFetchRequestTopics().setName(topic).setPartitionIndexes(List.of(0)))
                        .toList();
        OffsetFetchRequest request = OffsetFetchRequest.Builder.forTopicNames(
                        new OffsetFetchRequestData()
                                .setGroups(List.of(new OffsetFetchRequestGroup()
                                        .setGroupId(GROUP)
                                        .setTopics(named))),
                        false)
                .build((short) 9);
        OffsetFetchResponse response = relay(principal, request);
        return response.data().groups().get(0);
    }

    private DescribedGroup consumerGroupDescribe(String principal) throws Exception {
        ConsumerGroupDescribeResponse response = relay(
                principal,
                new ConsumerGroupDescribeRequest.Builder(
                                new ConsumerGroupDescribeRequestData().setGroupIds(List.of(GROUP)))
                        .build((short) 1));
        return response.data().groups().get(0);
    }

    /** {@code request} relayed in an Envelope as a broker relays its client {@code principal}'s. */
    @SuppressWarnings("unchecked")
    private <T extends AbstractResponse> T relay(String principal, AbstractRequest request) throws Exception {
        DecodedRequest received = new DecodedRequest(
                new RequestHeader(request.apiKey(), request.version(), "client-" + principal, 11),
                request.apiKey(),
                request.version(),
                request,
                "client-" + principal,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000),
                "broker-connection",
                0,
                SecurityUtils.parseKafkaPrincipal(principal));
        return (T) client.relayInEnvelope(coordinator, received).get(10, TimeUnit.SECONDS);
    }

    private static AclBinding acl(ResourceType type, String name, String principal, AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
