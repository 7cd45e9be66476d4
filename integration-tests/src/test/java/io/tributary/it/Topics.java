package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates topics for the end-to-end tests through metadata-service's REST API (the product's
 * own path; {@code AdminClientIT} covers the Kafka one) and waits until every partition has a
 * leader and a full ISR, as the brokers see it.
 */
public final class Topics {

    private Topics() {}

    public static String create(
            TributaryCluster cluster, String name, int partitions, int replicationFactor, Map<String, String> configs)
            throws Exception {
        String configJson = configs.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        String body = "{\"name\":\"" + name + "\",\"partitions\":" + partitions + ",\"replicationFactor\":"
                + replicationFactor + ",\"configs\":" + configJson + "}";
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(cluster.metadataUrl() + "/api/topics"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        try (Admin admin = cluster.admin()) {
            // the broker asked may not know the new topic yet (it learns it from ZooKeeper)
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptionsMatching(e -> e.getCause() instanceof UnknownTopicOrPartitionException)
                    .until(() ->
                            admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().stream()
                                    .allMatch(p -> p.leader() != null && p.isr().size() == replicationFactor));
        }
        return name;
    }

    /**
     * The service name ({@code broker-N}) of the leader of {@code topic}'s partition 0: where a
     * one-replica topic's files are, on a cluster of several brokers.
     */
    public static String brokerOf(TributaryCluster cluster, String topic) throws Exception {
        try (Admin admin = cluster.admin()) {
            TopicPartitionInfo partition = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .get(0);
            assertThat(partition.leader()).as("leader of %s-0", topic).isNotNull();
            return "broker-" + partition.leader().id();
        }
    }
}
