package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import io.tributary.it.cli.Cli;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17 end to end: two group-coordinator processes sharing one store (an H2 file in automatic
 * mixed mode), each serving the groups of the partitions it owns in ZooKeeper. The coordinator
 * serving two consuming groups, a classic one and a KIP-848 one ({@code group.protocol=consumer}),
 * is killed with SIGKILL: both groups move to the survivor and are Stable again within the
 * ZooKeeper session timeout + 5 s, nothing acknowledged as committed is lost or consumed again, no
 * record is skipped; the members of both protocols carry on (loaded from the shared store by the
 * new owner): classic ones in their generation, KIP-848 ones with their epochs and assignments.
 * Then every coordinator is killed (meanwhile {@code tributary consume --group} is not let into
 * its group and exits 5 saying so) and restarted, and the committed offsets of both groups are
 * still there.
 *
 * <p>One kill serves both groups and one restart of both coordinators serves the rest: each start
 * of a coordinator costs tens of seconds on a loaded CI machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoordinatorFailoverIT {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorFailoverIT.class);
    /**
     * Issue 17's goal: the services' ZooKeeper session timeout (tributary.zookeeper.session-timeout,
     * 6 s) + 5 s, from the kill until the group is Stable with its members again.
     */
    private static final Duration TAKEOVER_GOAL = Duration.ofSeconds(6 + 5);

    private static final String TOPIC = "payments";
    private static final String GROUP = "ledger";
    /** The KIP-848 group, on a topic of its own. */
    private static final String TOPIC_848 = "refunds";
    /**
     * In group partition 26, as {@link #GROUP} is in 24: of two coordinators, the same one serves
     * both (partition p goes to the (p mod 2)-th), so that one kill moves both.
     */
    private static final String GROUP_848 = "refund-journal";

    private static final int PARTITIONS = 4;
    /** The KIP-848 session timeout the coordinators are given (tributary.group.consumer.session-timeout). */
    private static final Duration CONSUMER_SESSION_TIMEOUT = Duration.ofSeconds(10);

    private static final List<String> COORDINATORS = List.of("group-coordinator-1", "group-coordinator-2");

    private static TributaryCluster cluster;
    private static CuratorFramework zookeeper;

    @BeforeAll
    static void startCluster() {
        cluster = new TributaryCluster();
        cluster.startMetadataService("metadata-1");
        cluster.startBrokers(2);
        cluster.startGroupCoordinators(
                2,
                "--tributary.group.initial-rebalance-delay=0s",
                "--tributary.group.consumer.session-timeout=" + CONSUMER_SESSION_TIMEOUT.toSeconds() + "s",
                "--tributary.group.consumer.heartbeat-interval=1s");
        cluster.awaitHealthy();
        zookeeper = CuratorFrameworkFactory.builder()
                .connectString(cluster.zookeeperConnect())
                .namespace("tributary")
                .retryPolicy(new RetryOneTime(200))
                .build();
        zookeeper.start();
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (zookeeper != null) {
            zookeeper.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Two members per group consume and commit; the coordinator serving both groups is killed
     * with SIGKILL. Checks both groups move to the survivor and are Stable with both members
     * again within issue 17's goal, that every record is consumed, none acknowledged as committed
     * again, and that the committed offsets reach the end.
     */
    @Test
    @Order(1)
    void shouldMoveAClassicAndAKip848GroupToTheSurvivorWithinTheGoalWhenTheirCoordinatorIsKilled() throws Exception {
        Consuming classic = new Consuming(GROUP, TOPIC, "classic");
        Consuming kip848 = new Consuming(GROUP_848, TOPIC_848, "consumer");
        List<Consuming> groups = List.of(classic, kip848);
        List<Member> members = new ArrayList<>();
        for (Consuming group : groups) {
            Topics.create(cluster, group.topic, PARTITIONS, 2, Map.of());
            produce(group.topic, 0, 4000);
            for (int i = 0; i < 2; i++) {
                members.add(new Member("member-" + i, group));
            }
        }
        members.forEach(Member::start);
        try (Admin admin = admin()) {
            for (Consuming group : groups) {
                await().atMost(Duration.ofSeconds(60)).until(() -> isStableWith(admin, group.id, 2));
                await().atMost(Duration.ofSeconds(60)).until(() -> group.acknowledged.size() == PARTITIONS);
                group.membersBefore.putAll(members(admin, group.id));
            }
            GroupPartitionOwner before = owner(GROUP);
            assertThat(owner(GROUP_848).owner())
                    .as("the coordinator serving %s also serves %s", GROUP, GROUP_848)
                    .isEqualTo(before.owner());
            TributaryCluster.Service serving = cluster.serviceOnKafkaPort(before.kafkaPort());
            long killedAt = System.nanoTime();
            cluster.kill(serving.name());
            Map<String, Map<TopicPartition, Long>> ackedBeforeKill = new HashMap<>();
            for (Consuming group : groups) {
                group.floor.putAll(group.acknowledged);
                ackedBeforeKill.put(group.id, Map.copyOf(group.floor));
            }

            // both groups are watched at once, so that each one's time is its own
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (Consuming group : groups) {
                            group.observeMove(admin, before, killedAt);
                        }
                        return groups.stream().allMatch(group -> group.stableAfter != null);
                    });
            for (Consuming group : groups) {
                log.info(
                        "Coordinator {} killed: group {} ({}) served elsewhere after {} ms, Stable with 2 members after {} ms",
                        serving.name(),
                        group.id,
                        group.protocol,
                        group.servedElsewhereAfter.toMillis(),
                        group.stableAfter.toMillis());
                group.membersAfter.putAll(members(admin, group.id));
            }
            for (Consuming group : groups) {
                assertThat(group.stableAfter)
                        .as("time until %s (%s) was Stable again at the survivor", group.id, group.protocol)
                        .isLessThan(TAKEOVER_GOAL);
            }
            // the new owner loads the KIP-848 group's membership from the shared store: the members carry on
            assertThat(kip848.membersAfter)
                    .as("members, epochs and assignments after the move, as before it")
                    .isEqualTo(kip848.membersBefore);

            // consumption goes on, and commits made after the move are acknowledged too
            for (Consuming group : groups) {
                produce(group.topic, 4000, 6000);
            }
            for (Consuming group : groups) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> group.acknowledged.values().stream()
                                        .mapToLong(Long::longValue)
                                        .sum()
                                == 6000);
                Map<TopicPartition, Long> committed = committed(admin, group.id);
                ackedBeforeKill
                        .get(group.id)
                        .forEach((tp, offset) -> assertThat(committed.get(tp))
                                .as("committed offset of %s, acknowledged %s before the kill", tp, offset)
                                .isGreaterThanOrEqualTo(offset));
                assertThat(committed.values().stream()
                                .mapToLong(Long::longValue)
                                .sum())
                        .isEqualTo(6000);
                assertThat(group.redelivered)
                        .as("records below an acknowledged commit consumed again")
                        .isEmpty();
                assertThat(group.consumed).as("records consumed").hasSize(6000);
            }
        } finally {
            members.forEach(Member::stopAndClose);
        }

        // KIP-848 commits are in the offset history with the member and client that made them
        String survivor = COORDINATORS.stream()
                .filter(name -> cluster.service(name).isAlive())
                .findFirst()
                .orElseThrow();
        Cli.Result history = Cli.runExactly(
                "",
                "groups",
                "history",
                "--group",
                GROUP_848,
                "--limit",
                "10000",
                "--output",
                "json",
                "--bootstrap-server",
                cluster.bootstrapServers(),
                "--coordinator-url",
                "http://localhost:" + cluster.service(survivor).httpPort());
        assertThat(history.exitCode()).as(history.toString()).isZero();
        List<JsonNode> commits = new ArrayList<>();
        history.json().path("commits").forEach(commits::add);
        assertThat(commits).extracting(c -> c.path("clientId").asString()).contains("member-0", "member-1");
        assertThat(commits)
                .allSatisfy(c -> assertThat(c.path("memberId").asString()).isNotEmpty());
    }

    @Test
    @Order(2)
    void shouldKeepCommittedOffsetsAcrossARestartOfEveryCoordinator() throws Exception {
        Map<String, Map<TopicPartition, Long>> before = new HashMap<>();
        try (Admin admin = admin()) {
            for (String group : List.of(GROUP, GROUP_848)) {
                before.put(group, committed(admin, group));
                assertThat(before.get(group)).as(group).hasSize(PARTITIONS);
            }
        }

        // the first test killed one coordinator already: both restart together
        for (String name : COORDINATORS) {
            if (cluster.service(name).isAlive()) {
                cluster.kill(name);
            }
        }
        // meanwhile no coordinator serves any group: a CLI consumer is not let into one, and says so
        Cli.Result orphaned = Cli.runExactly(
                "",
                "consume",
                "--topic",
                TOPIC,
                "--group",
                "cli-orphan",
                "--idle-timeout",
                "2s",
                "--timeout",
                "3s",
                "--bootstrap-server",
                cluster.bootstrapServers());
        assertThat(orphaned.exitCode()).as("%s", orphaned).isEqualTo(5);
        assertThat(orphaned.errLines())
                .containsExactly(
                        "Error: Consumer group 'cli-orphan' was not joined within 3s: no coordinator took this "
                                + "consumer in (none serves the group, or its rebalance did not end)");
        assertThat(orphaned.out()).isEmpty();

        COORDINATORS.forEach(cluster::restart);
        cluster.awaitHealthy(COORDINATORS.toArray(String[]::new));

        try (Admin admin = admin()) {
            for (String group : List.of(GROUP, GROUP_848)) {
                await().atMost(Duration.ofSeconds(30))
                        .ignoreExceptions()
                        .until(() -> committed(admin, group).equals(before.get(group)));
            }
        }
    }

    @Test
    @Order(3)
    void shouldShowTheCommitHistoryAndResetToAPastCommitTimeWithTheCli() throws Exception {
        String coordinatorUrl =
                "http://localhost:" + cluster.service("group-coordinator-1").httpPort();
        Cli.Result history = Cli.runExactly(
                "",
                "groups",
                "history",
                "--group",
                GROUP,
                "--limit",
                "10000",
                "--output",
                "json",
                "--bootstrap-server",
                cluster.bootstrapServers(),
                "--coordinator-url",
                coordinatorUrl);
        assertThat(history.exitCode()).as(history.toString()).isZero();
        List<JsonNode> commits = new ArrayList<>();
        history.json().path("commits").forEach(commits::add);
        assertThat(commits).isNotEmpty();
        assertThat(commits).extracting(c -> c.path("clientId").asString()).contains("member-0", "member-1");

        // the positions as of a commit in the middle of the history
        String at = commits.get(commits.size() / 2).path("commitTime").asString();
        Instant atTime = Instant.parse(at);
        Map<TopicPartition, Long> expected = new HashMap<>();
        for (JsonNode c : commits) {
            if (!Instant.parse(c.path("commitTime").asString()).isAfter(atTime)) {
                expected.put(
                        new TopicPartition(
                                c.path("topic").asString(), c.path("partition").asInt()),
                        c.path("offset").asLong());
            }
        }
        Map<TopicPartition, Long> before;
        try (Admin admin = admin()) {
            before = committed(admin, GROUP);
        }

        Cli.Result dryRun = resetWithCli(coordinatorUrl, at);
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).contains("NEW-OFFSET", "Dry run");
        try (Admin admin = admin()) {
            assertThat(committed(admin, GROUP)).isEqualTo(before);
        }

        Cli.Result executed = resetWithCli(coordinatorUrl, at, "--execute");
        assertThat(executed.exitCode()).as(executed.toString()).isZero();
        try (Admin admin = admin()) {
            Map<TopicPartition, Long> after = committed(admin, GROUP);
            assertThat(after).containsAllEntriesOf(expected);
            assertThat(after.keySet()).isEqualTo(expected.keySet());
        }

        // with a member in the group, the coordinator refuses in one line
        Member member = new Member("member-late", new Consuming(GROUP, TOPIC, "classic"));
        member.start();
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> isStableWith(admin, GROUP, 1));
            Cli.Result refused = resetWithCli(coordinatorUrl, at, "--execute");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(4);
            assertThat(refused.errLines()).hasSize(1);
            assertThat(refused.err()).contains("NON_EMPTY_GROUP", "active members");
        } finally {
            member.stopAndClose();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Cli.Result resetWithCli(String coordinatorUrl, String at, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "groups",
                "reset-offsets",
                "--group",
                GROUP,
                "--all-topics",
                "--to-commit-time",
                at,
                "--bootstrap-server",
                cluster.bootstrapServers(),
                "--coordinator-url",
                coordinatorUrl));
        args.addAll(List.of(extra));
        return Cli.runExactly("", args.toArray(String[]::new));
    }

    private static GroupPartitionOwner owner(String group) throws Exception {
        byte[] data = zookeeper.getData().forPath(ZkPaths.groupPartition(GroupPartitionOwner.partitionOf(group)));
        return ZkJson.fromBytes(data, GroupPartitionOwner.class);
    }

    private static boolean isStableWith(Admin admin, String groupId, int members) {
        try {
            ConsumerGroupDescription group =
                    admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
            return group.groupState() == GroupState.STABLE && group.members().size() == members;
        } catch (Exception e) {
            return false;
        }
    }

    /** Each member's epoch (KIP-848; -1 for classic members) and assigned partitions, by client id. */
    private static Map<String, String> members(Admin admin, String groupId) throws Exception {
        return admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId).members().stream()
                .collect(Collectors.toMap(
                        m -> m.clientId(),
                        m -> "epoch " + m.memberEpoch().orElse(-1) + " "
                                + m.assignment().topicPartitions().stream()
                                        .map(TopicPartition::toString)
                                        .sorted()
                                        .toList()));
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static void produce(String topic, int from, int to) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, "record-" + i));
            }
            producer.flush();
        }
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return Admin.create(props);
    }

    /** A consuming group and what its members saw: acknowledged commits, records, redeliveries. */
    private static final class Consuming {
        final String id;
        final String topic;
        /** {@code group.protocol}: classic or consumer. */
        final String protocol;
        /** Per partition, the highest offset a commitSync acknowledged. */
        final Map<TopicPartition, Long> acknowledged = new ConcurrentHashMap<>();
        /** Per partition, what was acknowledged when the coordinator was killed: never consumed again. */
        final Map<TopicPartition, Long> floor = new ConcurrentHashMap<>();
        /** The values of the records consumed. */
        final Set<String> consumed = ConcurrentHashMap.newKeySet();
        /** Records consumed again although below {@link #floor}. */
        final List<String> redelivered = new CopyOnWriteArrayList<>();
        /** {@link #members} when the coordinator was killed, and once the group was Stable again. */
        final Map<String, String> membersBefore = new ConcurrentHashMap<>();

        final Map<String, String> membersAfter = new ConcurrentHashMap<>();
        /** After the kill: when another coordinator had claimed the group's partition, and when it was Stable again. */
        volatile Duration servedElsewhereAfter;

        volatile Duration stableAfter;

        Consuming(String id, String topic, String protocol) {
            this.id = id;
            this.topic = topic;
            this.protocol = protocol;
        }

        /** Notes the first time the group is seen served elsewhere than {@code before}, then Stable with 2 members. */
        void observeMove(Admin admin, GroupPartitionOwner before, long killedAt) throws Exception {
            if (servedElsewhereAfter == null) {
                GroupPartitionOwner now = owner(id);
                if (!now.isReleased() && now.epoch() > before.epoch() && now.kafkaPort() != before.kafkaPort()) {
                    servedElsewhereAfter = Duration.ofNanos(System.nanoTime() - killedAt);
                }
            }
            if (servedElsewhereAfter != null && stableAfter == null && isStableWith(admin, id, 2)) {
                stableAfter = Duration.ofNanos(System.nanoTime() - killedAt);
            }
        }

        void consumed(ConsumerRecord<String, String> record) {
            consumed.add(record.value());
            Long committed = floor.get(new TopicPartition(record.topic(), record.partition()));
            if (committed != null && record.offset() < committed) {
                redelivered.add(record.topic() + "-" + record.partition() + "@" + record.offset());
            }
        }
    }

    /**
     * A group member (classic or KIP-848 protocol) that commits synchronously after each poll,
     * slowly enough (a few records per poll) that it is mid-stream when its coordinator dies, and
     * records what it consumed and what each successful commit acknowledged.
     */
    private static final class Member {
        private final KafkaConsumer<String, String> consumer;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        private final Consuming group;

        Member(String clientId, Consuming group) {
            this.group = group;
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group.id);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, group.protocol);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
            if (group.protocol.equals("classic")) {
                // KIP-848 members get both from the coordinator
                props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
                props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
            }
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            consumer = new KafkaConsumer<>(props);
            thread = new Thread(this::run, clientId);
        }

        void start() {
            consumer.subscribe(Set.of(group.topic));
            thread.start();
        }

        private void run() {
            while (running.get()) {
                try {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                    if (records.isEmpty()) {
                        continue;
                    }
                    Map<TopicPartition, OffsetAndMetadata> offsets = new ConcurrentHashMap<>();
                    for (ConsumerRecord<String, String> record : records) {
                        group.consumed(record);
                        offsets.put(
                                new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1));
                    }
                    Thread.sleep(50);
                    consumer.commitSync(offsets, Duration.ofSeconds(30));
                    offsets.forEach((tp, o) -> group.acknowledged.merge(tp, o.offset(), Math::max));
                } catch (org.apache.kafka.common.errors.WakeupException e) {
                    return;
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a commit refused during the move (the group rebalanced): the records are
                    // polled again, and committed by whoever owns the partition then
                    log.info("{}: {}", thread.getName(), e.toString());
                }
            }
        }

        void stopAndClose() {
            running.set(false);
            consumer.wakeup();
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consumer.close(Duration.ofSeconds(10));
        }
    }
}
