package io.tributary.broker.security;

import static org.awaitility.Awaitility.await;

import io.tributary.broker.config.BrokerSecurityProperties;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;

/** What the security integration tests share: SASL client configs and a topic led by the broker under test. */
public final class SecureTestSupport {

    private SecureTestSupport() {}

    /** Client configs for a SASL listener on localhost:{@code port}, with short admin time-outs. */
    static Map<String, Object> saslClient(int port, String protocol, String mechanism, String user, String password) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + port);
        configs.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        configs.put(SaslConfigs.SASL_MECHANISM, mechanism);
        configs.put(SaslConfigs.SASL_JAAS_CONFIG, BrokerSecurityProperties.jaas(mechanism, user, password));
        configs.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000);
        configs.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return configs;
    }

    /** Creates {@code topic} (one partition, led by {@code brokerId} alone) unless it exists; waits until led here. */
    public static TopicPartition createLocalTopic(
            CuratorFramework curator, ReplicaManager replicaManager, String topic, int brokerId) throws Exception {
        if (curator.checkExists().forPath(ZkPaths.topic(topic)) == null) {
            TopicRecord record = new TopicRecord(UUID.randomUUID(), Map.of(0, List.of(brokerId)), Map.of());
            curator.create().creatingParentsIfNeeded().forPath(ZkPaths.topic(topic), ZkJson.toBytes(record));
            curator.create()
                    .creatingParentsIfNeeded()
                    .forPath(
                            ZkPaths.partitionState(topic, 0),
                            ZkJson.toBytes(new PartitionState(brokerId, 0, List.of(brokerId), 1)));
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> replicaManager
                        .localPartition(tp)
                        .filter(Partition::isLeader)
                        .isPresent());
        return tp;
    }
}
