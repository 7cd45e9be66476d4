package io.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 20, disk full for the services around the brokers: the group-coordinator's H2 database
 * and log file, and metadata-service's log file and Tomcat directory, each on a small tmpfs the
 * test fills ({@link SmallDisk}). The coordinator must refuse commits with a retriable error the
 * consumer handles, keep the earlier commits, log what failed, and take commits again once space
 * is back; metadata-service, whose state is in ZooKeeper, must go on serving.
 *
 * <p>Needs root for {@code mount -t tmpfs}; skipped with the reason otherwise.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceDiskFullIT {

    private static final String TOPIC = "offsets";
    private static final String GROUP = "full-disk-group";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    /** Large commit metadata (offset.metadata.max.bytes is 4096), so commits fill the disk quickly. */
    private static final String METADATA = "m".repeat(4000);

    private static final Logger log = LoggerFactory.getLogger(ServiceDiskFullIT.class);

    private static TributaryCluster cluster;
    private static SmallDisk coordinatorDisk;
    private static SmallDisk metadataDisk;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TributaryCluster();
        // the coordinator's data-dir is <dataDir>/<name>: the tmpfs goes exactly there
        coordinatorDisk = SmallDisk.mount(cluster.dataDir().resolve("group-coordinator-1"), "16m");
        metadataDisk = SmallDisk.mount(cluster.dataDir().resolve("metadata-disk"), "4m");
        assumeThat(coordinatorDisk.isMounted() && metadataDisk.isMounted())
                .as("mount -t tmpfs needs root (uid %s)", System.getProperty("user.name"))
                .isTrue();
        cluster.startMetadataService(
                "metadata-1",
                "--logging.file.name=" + metadataDisk.dir().resolve("metadata-service.log"),
                "--server.tomcat.basedir=" + metadataDisk.dir().resolve("tomcat"));
        cluster.startBroker(1);
        cluster.startGroupCoordinator(
                "group-coordinator-1",
                "--logging.file.name=" + coordinatorDisk.dir().resolve("group-coordinator.log"));
        cluster.awaitHealthy();
        Topics.create(cluster, TOPIC, 1, 1, Map.of());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (coordinatorDisk != null) {
                coordinatorDisk.close();
            }
            if (metadataDisk != null) {
                metadataDisk.close();
            }
        }
    }

    @Test
    @Order(1)
    void shouldRefuseCommitsRetriablyOnAFullDiskKeepEarlierOnesAndCommitAgainWithSpace() throws Exception {
        long acked;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.commitSync(Map.of(TP, new OffsetAndMetadata(1, METADATA)), Duration.ofSeconds(30));
            acked = 1;
            coordinatorDisk.fill("ballast");

            // the database file may have room inside it: commit until a write needs more
            Throwable refused = null;
            for (long offset = 2; offset < 500 && refused == null; offset++) {
                long next = offset;
                refused = catchThrowable(() ->
                        consumer.commitSync(Map.of(TP, new OffsetAndMetadata(next, METADATA)), Duration.ofSeconds(10)));
                if (refused == null) {
                    acked = next;
                }
            }

            assertThat(refused).as("a commit to a full disk fails retriably").isInstanceOf(RetriableException.class);
            log.info("Commit after offset {} refused on a full disk: {}", acked, refused.toString());
            assertThat(Files.readString(cluster.logFile("group-coordinator-1")))
                    .as("the coordinator logs which request failed, the answer and the cause")
                    .containsPattern("WARN .* OffsetCommit OffsetCommitRequestData\\(groupId='" + GROUP
                            + "'.* failed, answering COORDINATOR_NOT_AVAILABLE: .*No space left on device");

            assertThat(consumer.committed(java.util.Set.of(TP), Duration.ofSeconds(30))
                            .get(TP)
                            .offset())
                    .as("the last acknowledged commit is still served while the disk is full")
                    .isEqualTo(acked);

            coordinatorDisk.free("ballast");
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> consumer.commitSync(Map.of(TP, new OffsetAndMetadata(1000)), Duration.ofSeconds(10)));
        }
        cluster.stop("group-coordinator-1");
        cluster.restart("group-coordinator-1");
        cluster.awaitHealthy("group-coordinator-1");
        try (KafkaConsumer<String, String> consumer = consumer()) {
            assertThat(consumer.committed(java.util.Set.of(TP), Duration.ofSeconds(60))
                            .get(TP)
                            .offset())
                    .as("the commit made once space was back survives a restart")
                    .isEqualTo(1000);
        }
    }

    @Test
    @Order(2)
    void shouldKeepServingTopicsFromAMetadataServiceWhoseDiskIsFull() throws Exception {
        metadataDisk.fill("ballast");

        // enough log lines to outgrow the last page of the log file
        for (int i = 0; i < 5; i++) {
            Topics.create(cluster, "created-on-a-full-disk-" + i, 2, 1, Map.of());
        }

        HttpResponse<String> topics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(cluster.metadataUrl() + "/api/topics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(topics.statusCode()).isEqualTo(200);
        assertThat(topics.body()).contains(TOPIC, "created-on-a-full-disk-0", "created-on-a-full-disk-4");
        assertThat(cluster.service("metadata-1").isAlive()).isTrue();
        assertThat(Files.readString(cluster.logFile("metadata-1")))
                .as("logback says on the console which file it cannot write")
                .contains("IO failure while writing to file ["
                        + metadataDisk.dir().resolve("metadata-service.log"));
        metadataDisk.free("ballast");
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.assign(List.of(TP));
        return consumer;
    }
}
