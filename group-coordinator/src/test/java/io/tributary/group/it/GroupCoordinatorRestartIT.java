package io.tributary.group.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.common.protocol.client.KafkaProtocolClient;
import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.common.zk.ZkPaths;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import io.tributary.group.server.GroupProtocolServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service on a real ZooKeeper and its H2 file database: committed offsets, group
 * generations, the members of a Stable classic group and the offsets staged by undecided
 * transactions survive a restart (the markers that decide them reach the restarted instance), and
 * health reports the database and ZooKeeper.
 */
class GroupCoordinatorRestartIT {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    @TempDir
    Path dataDir;

    ConfigurableApplicationContext start() {
        return CoordinatorInstances.start(
                ZOOKEEPER.connectString(),
                dataDir.resolve("not/yet/there"),
                "--tributary.group.initial-rebalance-delay=100ms");
    }

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    static final RequestContext CTX = RequestContext.of("consumer-1", "/127.0.0.1", 9);

    /**
     * A classic group Stable when the coordinator stops: its member carries on at the restarted one.
     * Its session outlasts a slow restart on a loaded machine.
     */
    static final String KEPT_GROUP = "kept-across-restart";

    static JoinGroupRequestData join(String memberId) {
        return join("restartable", memberId);
    }

    static JoinGroupRequestData join(String groupId, String memberId) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {1, 2, 3}));
        return new JoinGroupRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setSessionTimeoutMs(KEPT_GROUP.equals(groupId) ? 60_000 : 10_000)
                .setRebalanceTimeoutMs(30_000)
                .setProtocolType("consumer")
                .setProtocols(protocols);
    }

    static JoinGroupResponseData joinStable(GroupCoordinator coordinator) throws Exception {
        return joinStable(coordinator, "restartable");
    }

    static JoinGroupResponseData joinStable(GroupCoordinator coordinator, String groupId) throws Exception {
        JoinGroupResponseData first = get(coordinator.joinGroup(CTX, join(groupId, "")));
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        JoinGroupResponseData joined = get(coordinator.joinGroup(CTX, join(groupId, first.memberId())));
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        get(coordinator.syncGroup(
                RequestContext.of("consumer-1", "/127.0.0.1", 5),
                new SyncGroupRequestData()
                        .setGroupId(groupId)
                        .setMemberId(joined.memberId())
                        .setGenerationId(joined.generationId())
                        .setAssignments(List.of(new SyncGroupRequestAssignment()
                                .setMemberId(joined.memberId())
                                .setAssignment(new byte[] {9})))));
        return joined;
    }

    static OffsetCommitRequestData commit(String groupId, String memberId, int generation, long offset) {
        return new OffsetCommitRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation)
                .setTopics(List.of(new OffsetCommitRequestTopic()
                        .setName("events")
                        .setPartitions(List.of(
                                new OffsetCommitRequestPartition()
                                        .setPartitionIndex(0)
                                        .setCommittedOffset(offset)
                                        .setCommittedLeaderEpoch(4)
                                        .setCommittedMetadata("after-poll"),
                                new OffsetCommitRequestPartition()
                                        .setPartitionIndex(1)
                                        .setCommittedOffset(offset * 2)
                                        .setCommittedLeaderEpoch(4)))));
    }

    static void assertCommitted(OffsetCommitResponseData response) {
        assertThat(response.topics().get(0).partitions())
                .allSatisfy(p -> assertThat(Errors.forCode(p.errorCode())).isEqualTo(Errors.NONE));
    }

    /** The simple group of the test, whose committed offsets the transactions overwrite or not. */
    static final String TXN_GROUP = "simple";

    static TxnOffsetCommitRequestData txnCommit(long producerId, int partition, long offset) {
        return new TxnOffsetCommitRequestData()
                .setTransactionalId("etl-" + producerId)
                .setGroupId(TXN_GROUP)
                .setProducerId(producerId)
                .setProducerEpoch((short) 0)
                .setMemberId("")
                .setGenerationId(-1)
                .setTopics(List.of(new TxnOffsetCommitRequestTopic()
                        .setName("events")
                        .setPartitions(List.of(new TxnOffsetCommitRequestPartition()
                                .setPartitionIndex(partition)
                                .setCommittedOffset(offset)
                                .setCommittedLeaderEpoch(4)))));
    }

    static WriteTxnMarkersRequestData marker(long producerId, boolean commit) {
        return new WriteTxnMarkersRequestData()
                .setMarkers(List.of(new WritableTxnMarker()
                        .setProducerId(producerId)
                        .setProducerEpoch((short) 0)
                        .setTransactionResult(commit)
                        .setTopics(List.of(new WritableTxnMarkerTopic()
                                .setName(GroupPartitionOwner.TRANSACTION_MARKER_TOPIC)
                                .setPartitionIndexes(List.of(GroupPartitionOwner.partitionOf(TXN_GROUP)))))));
    }

    /** Sends the marker until the instance owns the group's partition and answers NONE. */
    static void decide(GroupCoordinator coordinator, long producerId, boolean commit) {
        RequestContext broker = RequestContext.of("broker-1", "/127.0.0.1", 1);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(get(coordinator.writeTxnMarkers(broker, marker(producerId, commit)))
                                .markers()
                                .get(0)
                                .topics()
                                .get(0)
                                .partitions()
                                .get(0)
                                .errorCode())
                        .isEqualTo(Errors.NONE.code()));
    }

    static List<OffsetFetchResponsePartitions> fetchStable(GroupCoordinator coordinator) throws Exception {
        return get(coordinator.fetchOffsets(
                        CTX,
                        new OffsetFetchRequestData()
                                .setRequireStable(true)
                                .setGroups(List.of(new OffsetFetchRequestGroup()
                                        .setGroupId(TXN_GROUP)
                                        .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                                .setName("events")
                                                .setPartitionIndexes(List.of(0, 1))))))))
                .groups()
                .get(0)
                .topics()
                .get(0)
                .partitions();
    }

    @Test
    void shouldKeepCommittedAndPendingTransactionalOffsetsAndGenerationsAcrossARestart() throws Exception {
        int generationBefore;
        JoinGroupResponseData kept;
        try (ConfigurableApplicationContext context = start()) {
            GroupCoordinator coordinator = context.getBean(GroupCoordinator.class);
            JoinGroupResponseData member = joinStable(coordinator);
            assertCommitted(get(coordinator.commitOffsets(
                    CTX, commit("restartable", member.memberId(), member.generationId(), 100))));
            assertCommitted(get(coordinator.commitOffsets(CTX, commit("simple", "", -1, 7))));
            get(coordinator.leaveGroup(
                    RequestContext.of("consumer-1", "/127.0.0.1", 5),
                    new LeaveGroupRequestData()
                            .setGroupId("restartable")
                            .setMembers(List.of(new MemberIdentity().setMemberId(member.memberId())))));
            generationBefore = member.generationId() + 1;

            // two transactions stage offsets, and the coordinator stops before either is decided
            for (TxnOffsetCommitResponseData staged : List.of(
                    get(coordinator.txnOffsetCommit(CTX, txnCommit(5000, 0, 11))),
                    get(coordinator.txnOffsetCommit(CTX, txnCommit(5001, 1, 22))))) {
                assertThat(staged.topics().get(0).partitions().get(0).errorCode())
                        .isEqualTo(Errors.NONE.code());
            }

            // the Kafka-protocol listener is up, published in discovery, and answers real requests
            int kafkaPort = context.getBean(GroupProtocolServer.class).port();
            assertThat(discoveryMetadata(context))
                    .containsEntry(GroupProtocolServer.KAFKA_PORT_METADATA, Integer.toString(kafkaPort));
            int httpPort =
                    ((WebServerApplicationContext) context).getWebServer().getPort();
            try (KafkaProtocolClient client = new KafkaProtocolClient("broker-0", Duration.ofSeconds(10))) {
                ListGroupsResponse listed = (ListGroupsResponse) client.send(
                                new Node(0, "127.0.0.1", kafkaPort),
                                new ListGroupsRequest.Builder(new ListGroupsRequestData()))
                        .get(10, TimeUnit.SECONDS);
                assertThat(listed.data().groups())
                        .extracting(ListedGroup::groupId)
                        .containsExactlyInAnyOrder("restartable", "simple");
                // the listener's connection metrics: this client's connection is the only one
                assertThat(prometheus(httpPort))
                        .contains("kafka_server_socket_server_connection_count 1.0")
                        .contains("kafka_server_socket_server_connection_creation_total 1.0")
                        .contains("kafka_server_socket_server_connection_rejected_total 0.0");
            }
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(prometheus(httpPort))
                            .contains("kafka_server_socket_server_connection_count 0.0"));
            assertThat(prometheus(httpPort))
                    .contains("tributary_group_groups{state=\"Empty\"} 2.0")
                    .contains("tributary_group_members 0.0");
            // the listener's request metrics: its time is recorded once the write completes, just
            // after the client may have read the response
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(prometheus(httpPort).lines())
                                    .anyMatch(
                                            line -> line.matches(
                                                    "kafka_network_request_total_time_seconds_count\\{request=\"ListGroups\"} 1(\\.0)?"))
                                    .anyMatch(
                                            line -> line.matches(
                                                    "kafka_network_request_errors_total\\{error=\"NONE\",request=\"ListGroups\"} 1(\\.0)?")));

            JsonNode health = health(context);
            assertThat(health.at("/components/db/status").toString()).isEqualTo("\"UP\"");
            assertThat(health.at("/components/zookeeperSession/status").toString())
                    .isEqualTo("\"UP\"");

            kept = joinStable(coordinator, KEPT_GROUP);
        }

        try (ConfigurableApplicationContext context = start()) {
            GroupCoordinator coordinator = context.getBean(GroupCoordinator.class);
            // the Stable classic group was loaded with its member: no rebalance, same generation
            assertKeptMemberCarriesOn(coordinator, kept);

            var fetched = get(coordinator.fetchOffsets(
                    CTX,
                    new OffsetFetchRequestData()
                            .setGroups(List.of(
                                    new OffsetFetchRequestGroup()
                                            .setGroupId("restartable")
                                            .setTopics(null),
                                    new OffsetFetchRequestGroup()
                                            .setGroupId("simple")
                                            .setTopics(null)))));
            List<OffsetFetchResponsePartitions> partitions =
                    fetched.groups().get(0).topics().get(0).partitions();
            assertThat(partitions)
                    .extracting(OffsetFetchResponsePartitions::committedOffset)
                    .containsExactlyInAnyOrder(100L, 200L);
            assertThat(partitions)
                    .extracting(OffsetFetchResponsePartitions::committedLeaderEpoch)
                    .containsOnly(4);
            assertThat(partitions)
                    .extracting(OffsetFetchResponsePartitions::metadata)
                    .containsExactlyInAnyOrder("after-poll", "");
            assertThat(fetched.groups().get(1).topics().get(0).partitions()).hasSize(2);

            assertThat(get(coordinator.listGroups(CTX, new ListGroupsRequestData()))
                            .groups())
                    .extracting(ListedGroup::groupId, ListedGroup::groupState, ListedGroup::protocolType)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("restartable", "Empty", "consumer"),
                            org.assertj.core.groups.Tuple.tuple("simple", "Empty", ""),
                            org.assertj.core.groups.Tuple.tuple(KEPT_GROUP, "Stable", "consumer"));
            DescribedGroup described = get(coordinator.describeGroups(
                            CTX, new DescribeGroupsRequestData().setGroups(List.of("restartable"))))
                    .groups()
                    .get(0);
            assertThat(described.groupState()).isEqualTo("Empty");
            assertThat(described.protocolType()).isEqualTo("consumer");

            // the staged offsets are still undecided; the markers sent after the restart decide them
            assertThat(fetchStable(coordinator))
                    .extracting(p -> Errors.forCode(p.errorCode()))
                    .containsOnly(Errors.UNSTABLE_OFFSET_COMMIT);
            decide(coordinator, 5000, true);
            decide(coordinator, 5001, false);
            assertThat(fetchStable(coordinator))
                    .extracting(
                            OffsetFetchResponsePartitions::partitionIndex,
                            OffsetFetchResponsePartitions::committedOffset,
                            p -> Errors.forCode(p.errorCode()))
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(0, 11L, Errors.NONE),
                            org.assertj.core.groups.Tuple.tuple(1, 14L, Errors.NONE));

            // the group continues its generations; a restarted consumer commits at the new one
            JoinGroupResponseData member = joinStable(coordinator);
            assertThat(member.generationId()).isEqualTo(generationBefore + 1);
            assertCommitted(get(coordinator.commitOffsets(
                    CTX, commit("restartable", member.memberId(), member.generationId(), 150))));
        }
    }

    /** The member's heartbeat and commit at its generation are accepted, and it keeps its assignment. */
    static void assertKeptMemberCarriesOn(GroupCoordinator coordinator, JoinGroupResponseData kept) throws Exception {
        HeartbeatResponseData heartbeat = get(coordinator.heartbeat(
                RequestContext.of("consumer-1", "/127.0.0.1", 4),
                new HeartbeatRequestData()
                        .setGroupId(KEPT_GROUP)
                        .setMemberId(kept.memberId())
                        .setGenerationId(kept.generationId())));
        assertThat(Errors.forCode(heartbeat.errorCode())).isEqualTo(Errors.NONE);
        assertCommitted(
                get(coordinator.commitOffsets(CTX, commit(KEPT_GROUP, kept.memberId(), kept.generationId(), 42))));
        DescribedGroup described = get(coordinator.describeGroups(
                        CTX, new DescribeGroupsRequestData().setGroups(List.of(KEPT_GROUP))))
                .groups()
                .get(0);
        assertThat(described.groupState()).isEqualTo("Stable");
        assertThat(described.protocolData()).isEqualTo("range");
        assertThat(described.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(kept.memberId());
            assertThat(m.memberAssignment()).containsExactly(9);
        });
    }

    static Map<String, String> discoveryMetadata(ConfigurableApplicationContext context) throws Exception {
        CuratorFramework curator = context.getBean(CuratorFramework.class);
        String services = ZkPaths.service("group-coordinator");
        List<String> instances = curator.getChildren().forPath(services);
        assertThat(instances).hasSize(1);
        JsonNode record =
                JsonMapper.builder().build().readTree(curator.getData().forPath(services + "/" + instances.get(0)));
        Map<String, String> metadata = new java.util.HashMap<>();
        record.at("/payload/metadata")
                .properties()
                .forEach(e -> metadata.put(e.getKey(), e.getValue().asString()));
        return metadata;
    }

    static String prometheus(int httpPort) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static JsonNode health(ConfigurableApplicationContext context) throws Exception {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(response.body());
    }
}
