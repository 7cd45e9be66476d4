package io.tributary.spring.autoconfigure.health;

import io.tributary.spring.autoconfigure.topics.TributaryAdmin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * One "is the cluster usable by this application?" check, each admin call bounded by the
 * timeout:
 * <ul>
 *   <li>DOWN when the cluster does not answer, or the group coordinator of the application's
 *       consumer group does not;</li>
 *   <li>OUT_OF_SERVICE when a watched topic is missing, or one of its partitions has no leader
 *       or fewer in-sync replicas than the topic's {@code min.insync.replicas} (an
 *       {@code acks=all} producer would fail);</li>
 *   <li>UP otherwise.</li>
 * </ul>
 * Details: the live broker count, per topic and partition the leader, ISR and minimum, and
 * the group. Stateless apart from its collaborators; called from one thread at a time.
 */
class ClusterHealthCheck {

    private final TributaryAdmin admin;
    private final Supplier<Collection<String>> topics;
    private final String groupId;
    private final Duration timeout;

    ClusterHealthCheck(TributaryAdmin admin, Supplier<Collection<String>> topics, String groupId, Duration timeout) {
        this.admin = admin;
        this.topics = topics;
        this.groupId = groupId;
        this.timeout = timeout;
    }

    Health check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("checkedAt", Instant.now().toString());
        try {
            Admin client = admin.get();
            int timeoutMs = (int) timeout.toMillis();
            Collection<Node> nodes = await(client.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .nodes());
            details.put("brokers", nodes.size());
            Status status = Status.UP;
            TreeSet<String> watched = new TreeSet<>(topics.get());
            if (!watched.isEmpty()) {
                Map<String, Object> topicDetails = new TreeMap<>();
                status = checkTopics(client, watched, timeoutMs, topicDetails);
                details.put("topics", topicDetails);
            }
            if (groupId != null && !groupId.isBlank()) {
                var group = await(client.describeConsumerGroups(
                                List.of(groupId), new DescribeConsumerGroupsOptions().timeoutMs(timeoutMs))
                        .describedGroups()
                        .get(groupId));
                details.put(
                        "group",
                        Map.of(
                                "id",
                                groupId,
                                "coordinator",
                                group.coordinator() == null
                                        ? "none"
                                        : group.coordinator().idString(),
                                "state",
                                String.valueOf(group.groupState())));
            }
            return Health.status(status).withDetails(details).build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause()).withDetails(details).build();
        } catch (TimeoutException e) {
            return Health.down()
                    .withDetails(details)
                    .withDetail("error", "the cluster did not answer within " + timeout)
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().withDetails(details).build();
        } catch (RuntimeException e) {
            return Health.down(e).withDetails(details).build();
        }
    }

    private Status checkTopics(Admin client, Collection<String> names, int timeoutMs, Map<String, Object> out)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, KafkaFuture<TopicDescription>> futures = client.describeTopics(
                        names, new DescribeTopicsOptions().timeoutMs(timeoutMs))
                .topicNameValues();
        Map<String, TopicDescription> described = new TreeMap<>();
        Status status = Status.UP;
        for (String name : names) {
            try {
                described.put(name, await(futures.get(name)));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                out.put(name, Map.of("status", Status.OUT_OF_SERVICE.getCode(), "error", "topic does not exist"));
                status = Status.OUT_OF_SERVICE;
            }
        }
        if (described.isEmpty()) {
            return status;
        }
        List<ConfigResource> resources = new ArrayList<>();
        described.keySet().forEach(name -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, name)));
        Map<ConfigResource, Config> configs =
                await(client.describeConfigs(resources, new DescribeConfigsOptions().timeoutMs(timeoutMs))
                        .all());
        for (Map.Entry<String, TopicDescription> entry : described.entrySet()) {
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, entry.getKey()));
            ConfigEntry minIsrEntry = config == null ? null : config.get("min.insync.replicas");
            int minIsr = minIsrEntry == null || minIsrEntry.value() == null ? 1 : Integer.parseInt(minIsrEntry.value());
            Map<String, Object> partitions = new TreeMap<>();
            Status topicStatus = Status.UP;
            for (TopicPartitionInfo partition : entry.getValue().partitions()) {
                Node leader = partition.leader();
                boolean usable =
                        leader != null && !leader.isEmpty() && partition.isr().size() >= minIsr;
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("leader", leader == null || leader.isEmpty() ? "none" : leader.idString());
                p.put("isr", partition.isr().stream().map(Node::id).toList());
                p.put("minIsr", minIsr);
                p.put("status", usable ? Status.UP.getCode() : Status.OUT_OF_SERVICE.getCode());
                partitions.put(Integer.toString(partition.partition()), p);
                if (!usable) {
                    topicStatus = Status.OUT_OF_SERVICE;
                }
            }
            out.put(entry.getKey(), Map.of("status", topicStatus.getCode(), "partitions", partitions));
            if (topicStatus == Status.OUT_OF_SERVICE) {
                status = Status.OUT_OF_SERVICE;
            }
        }
        return status;
    }

    private <T> T await(KafkaFuture<T> future) throws ExecutionException, TimeoutException, InterruptedException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
