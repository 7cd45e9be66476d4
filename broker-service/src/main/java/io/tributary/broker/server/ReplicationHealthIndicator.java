package io.tributary.broker.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.broker.partition.ReplicaManager;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The broker's replication state in {@code /actuator/health} (details) and as the gauges
 * {@code tributary.partitions.under.replicated} and {@code tributary.partitions.offline}, Kafka's
 * UnderReplicatedPartitions and OfflinePartitionsCount as this broker sees them. Under-replication
 * alone does not make the broker DOWN: it still serves, which is the point of replicas.
 */
@Component("replication")
class ReplicationHealthIndicator extends AbstractHealthIndicator {

    private final ReplicaManager replicaManager;

    ReplicationHealthIndicator(ReplicaManager replicaManager, MeterRegistry registry) {
        this.replicaManager = replicaManager;
        Gauge.builder("tributary.partitions.under.replicated", replicaManager, ReplicaManager::underReplicatedCount)
                .description("Partitions this broker leads whose ISR is smaller than the replica set")
                .register(registry);
        Gauge.builder("tributary.partitions.offline", replicaManager, ReplicaManager::offlineCount)
                .description("Partitions with a replica here and no leader")
                .register(registry);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up()
                .withDetail("partitions", replicaManager.partitions().size())
                .withDetail(
                        "leaderOf",
                        replicaManager.partitions().stream()
                                .filter(p -> p.isLeader())
                                .count())
                .withDetail("underReplicatedPartitions", replicaManager.underReplicatedCount())
                .withDetail("offlinePartitions", replicaManager.offlineCount());
    }
}
