package io.tributary.broker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.testing.ZookeeperExtension;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A partition whose append hangs (a dying disk, a long fsync) must not stall requests for other
 * partitions. The broker runs a single Netty event loop, so every connection shares it: were the
 * append done on the event loop, the other clients would wait with it. The hang is real, not
 * mocked: the test holds the slow partition's lock, which its append takes around the write to
 * the log, exactly as a write stuck in the kernel would hold it.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tributary.broker.id=3",
            "tributary.broker.kafka-port=0",
            "tributary.broker.io-threads=1",
            // the ISR check runs during the hang and takes the slow partition's lock too
            "tributary.broker.replica-lag-time-max=1s",
            "spring.cloud.zookeeper.max-retries=1"
        })
@DirtiesContext
class SlowPartitionIT {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    private static final String TOPIC = "slow-disk";
    private static final Duration QUICK = Duration.ofSeconds(5);

    @DynamicPropertySource
    static void zookeeper(DynamicPropertyRegistry registry) {
        registry.add("tributary.zookeeper.connect", ZOOKEEPER::connectString);
        registry.add("tributary.broker.log-dirs", () -> {
            try {
                return Files.createTempDirectory("broker-3").toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Autowired
    CuratorFramework curator;

    @Autowired
    ReplicaManager replicaManager;

    @Autowired
    KafkaProtocolServer kafkaServer;

    @Test
    void shouldServeOtherPartitionsWhileOnePartitionsAppendHangs() throws Exception {
        TopicPartition slowPartition = new TopicPartition(TOPIC, 0);
        TopicPartition fastPartition = new TopicPartition(TOPIC, 1);
        createTopicLedByThisBroker();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> replicaManager
                                .localPartition(slowPartition)
                                .filter(Partition::isLeader)
                                .isPresent()
                        && replicaManager
                                .localPartition(fastPartition)
                                .filter(Partition::isLeader)
                                .isPresent());
        Partition slow = replicaManager.localPartition(slowPartition).orElseThrow();

        try (KafkaProducer<String, String> slowProducer = producer("slow");
                KafkaProducer<String, String> fastProducer = producer("fast");
                KafkaConsumer<String, String> consumer = consumer();
                Admin admin = admin()) {
            // both producers have their metadata, producer id and connection before the hang
            assertThat(send(slowProducer, slowPartition, "before")
                            .get(10, TimeUnit.SECONDS)
                            .offset())
                    .isZero();
            assertThat(send(fastProducer, fastPartition, "before")
                            .get(10, TimeUnit.SECONDS)
                            .offset())
                    .isZero();

            CompletableFuture<RecordMetadata> stuck;
            synchronized (slow) {
                stuck = send(slowProducer, slowPartition, "stuck");
                Thread.sleep(500); // the stuck produce reaches the broker and waits for the lock

                RecordMetadata produced =
                        send(fastProducer, fastPartition, "during").get(QUICK.toMillis(), TimeUnit.MILLISECONDS);
                List<String> fetched = fetchAll(consumer, fastPartition, 2);
                var topics = admin.listTopics().names().get(QUICK.toMillis(), TimeUnit.MILLISECONDS);

                assertThat(produced.offset()).isEqualTo(1);
                assertThat(fetched).containsExactly("before", "during");
                assertThat(topics).contains(TOPIC);
                // the hang was real: the slow partition's produce waited all along
                assertThat(stuck).isNotDone();
            }

            assertThat(stuck.get(10, TimeUnit.SECONDS).offset()).isEqualTo(1);
        }
    }

    private void createTopicLedByThisBroker() throws Exception {
        TopicRecord record = new TopicRecord(UUID.randomUUID(), Map.of(0, List.of(3), 1, List.of(3)), Map.of());
        curator.create().creatingParentsIfNeeded().forPath(ZkPaths.topic(TOPIC), ZkJson.toBytes(record));
        for (int partition = 0; partition < 2; partition++) {
            curator.create()
                    .creatingParentsIfNeeded()
                    .forPath(
                            ZkPaths.partitionState(TOPIC, partition),
                            ZkJson.toBytes(new PartitionState(3, 0, List.of(3), 1)));
        }
    }

    private static CompletableFuture<RecordMetadata> send(
            KafkaProducer<String, String> producer, TopicPartition tp, String value) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, value), (metadata, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(metadata);
            }
        });
        return result;
    }

    private static List<String> fetchAll(KafkaConsumer<String, String> consumer, TopicPartition tp, int count) {
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + QUICK.toNanos();
        while (values.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                values.add(record.value());
            }
        }
        return values;
    }

    private String bootstrap() {
        return "localhost:" + kafkaServer.port();
    }

    private KafkaProducer<String, String> producer(String name) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, name);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(props);
    }

    private KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(props);
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return Admin.create(props);
    }
}
