package io.tributary.group;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.config.ConsumerGroupProperties;
import io.tributary.group.config.GroupCoordinatorProperties;
import io.tributary.group.consumer.ConsumerGroupCoordinator;
import io.tributary.group.consumer.ConsumerGroups;
import io.tributary.group.consumer.ZkTopicsImageSource;
import io.tributary.group.consumer.assignor.RangeAssignor;
import io.tributary.group.consumer.assignor.UniformAssignor;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.OffsetExpiration;
import io.tributary.group.history.OffsetHistory;
import io.tributary.group.history.OffsetResetter;
import io.tributary.group.membership.GroupRegistry;
import io.tributary.group.membership.GroupTimer;
import io.tributary.group.membership.MembershipManager;
import io.tributary.group.membership.ScheduledGroupTimer;
import io.tributary.group.offset.OffsetManager;
import io.tributary.group.ownership.GroupOwnership;
import io.tributary.group.ownership.StoreWriteFence;
import io.tributary.group.persistence.ClassicGroupStateRepository;
import io.tributary.group.persistence.CommittedOffsetRepository;
import io.tributary.group.persistence.ConsumerGroupStateRepository;
import io.tributary.group.persistence.GroupMetadataRepository;
import io.tributary.group.persistence.GroupPartitionEpochRepository;
import io.tributary.group.persistence.GroupPartitionEpochs;
import io.tributary.group.persistence.JpaClassicGroupStore;
import io.tributary.group.persistence.JpaConsumerGroupStore;
import io.tributary.group.persistence.JpaGroupMetadataStore;
import io.tributary.group.persistence.OffsetCommitHistoryRepository;
import io.tributary.group.persistence.StoreKeepAlive;
import io.tributary.group.server.GroupProtocolServer;
import io.tributary.group.txnoffset.PendingTxnOffsetRepository;
import io.tributary.group.txnoffset.PendingTxnOffsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the group coordinator: timer, database threads, managers (classic and KIP-848 groups), the
 * facade, offset expiry.
 */
@Configuration(proxyBeanMethods = false)
public class GroupCoordinatorConfiguration {

    @Bean(destroyMethod = "close")
    GroupTimer groupTimer() {
        return new ScheduledGroupTimer();
    }

    @Bean(destroyMethod = "close")
    GroupDatabaseExecutor groupDatabaseExecutor(GroupCoordinatorProperties properties) {
        return new GroupDatabaseExecutor(properties.databaseThreads());
    }

    @Bean(destroyMethod = "close")
    JpaGroupMetadataStore groupMetadataStore(
            GroupMetadataRepository repository, PlatformTransactionManager transactionManager) {
        return new JpaGroupMetadataStore(repository, new TransactionTemplate(transactionManager));
    }

    /** Finds a broken store connection before a takeover needs it (the shared H2 file's server died). */
    @Bean
    PeriodicTasks storeKeepAlive(DataSource dataSource, GroupCoordinatorProperties properties) {
        StoreKeepAlive keepAlive = new StoreKeepAlive(dataSource, properties.storeKeepaliveInterval());
        return new PeriodicTasks("store-keepalive", properties.storeKeepaliveInterval(), keepAlive::ping);
    }

    /**
     * Which groups this instance serves; losing a partition unloads its groups of both protocols
     * and the offsets acknowledged for them.
     */
    @Bean
    GroupOwnership groupOwnership(
            CuratorFramework curator,
            Environment environment,
            ObjectProvider<MembershipManager> membership,
            ObjectProvider<ConsumerGroupCoordinator> consumerGroups,
            ObjectProvider<OffsetManager> offsets) {
        String instanceId = environment.getProperty(
                "spring.cloud.zookeeper.discovery.instance-id",
                environment.getProperty("spring.application.name", "group-coordinator"));
        // unique per start: a restarted instance never mistakes its earlier life's claims for its own
        String ownershipId = instanceId + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new GroupOwnership(
                curator,
                ownershipId,
                partitions -> {
                    membership.getObject().loadPartitions(partitions);
                    consumerGroups.getObject().load(partitions);
                },
                partition -> {
                    membership.getObject().unloadPartition(partition);
                    consumerGroups.getObject().unload(groupId -> GroupPartitionOwner.partitionOf(groupId) == partition);
                    offsets.getObject().unload(groupId -> GroupPartitionOwner.partitionOf(groupId) == partition);
                });
    }

    @Bean
    GroupOwnershipLifecycle groupOwnershipLifecycle(
            GroupOwnership ownership, GroupProtocolServer server, Environment environment) {
        return new GroupOwnershipLifecycle(ownership, server, environment);
    }

    @Bean
    GroupRegistry groupRegistry(
            JpaGroupMetadataStore store, GroupDatabaseExecutor executor, GroupTimer timer, GroupOwnership ownership) {
        return new GroupRegistry(store, executor, timer, ownership::ownsGroup);
    }

    @Bean
    MembershipManager membershipManager(
            GroupCoordinatorProperties properties,
            GroupTimer timer,
            GroupRegistry registry,
            JpaGroupMetadataStore store,
            JpaClassicGroupStore classicGroups) {
        return new MembershipManager(properties, timer, registry, store, classicGroups);
    }

    /** The Stable generations of classic groups in the shared store, for the coordinator that takes them over. */
    @Bean(destroyMethod = "close")
    JpaClassicGroupStore classicGroupStore(
            ClassicGroupStateRepository repository,
            PlatformTransactionManager transactionManager,
            StoreWriteFence fence) {
        return new JpaClassicGroupStore(repository, new TransactionTemplate(transactionManager), fence);
    }

    @Bean
    OffsetManager offsetManager(
            CommittedOffsetRepository offsets,
            GroupMetadataRepository groups,
            OffsetCommitHistoryRepository history,
            StoreWriteFence fence,
            PlatformTransactionManager transactionManager,
            GroupCoordinatorProperties properties) {
        return new OffsetManager(
                offsets,
                groups,
                new TransactionTemplate(transactionManager),
                Clock.systemUTC(),
                properties,
                history,
                fence);
    }

    @Bean
    OffsetHistory offsetHistory(
            OffsetCommitHistoryRepository history,
            PlatformTransactionManager transactionManager,
            GroupCoordinatorProperties properties) {
        return new OffsetHistory(
                history,
                new TransactionTemplate(transactionManager),
                Clock.systemUTC(),
                properties.offsetsHistoryRetention());
    }

    @Bean
    OffsetResetter offsetResetter(GroupCoordinator coordinator, OffsetManager offsets, OffsetHistory history) {
        return new OffsetResetter(coordinator, offsets, history);
    }

    @Bean
    GroupCoordinator groupCoordinator(
            MembershipManager membership,
            OffsetManager offsets,
            GroupRegistry registry,
            JpaGroupMetadataStore store,
            GroupDatabaseExecutor executor,
            ConsumerGroupCoordinator consumerGroups,
            PendingTxnOffsets pendingTxnOffsets) {
        return new GroupCoordinator(membership, offsets, registry, store, executor, consumerGroups, pendingTxnOffsets);
    }

    @Bean
    PendingTxnOffsets pendingTxnOffsets(
            PendingTxnOffsetRepository pending, OffsetManager offsets, PlatformTransactionManager transactionManager) {
        return new PendingTxnOffsets(pending, offsets, new TransactionTemplate(transactionManager), Clock.systemUTC());
    }

    /** The topics KIP-848 assignments are made of, from ZooKeeper's {@code /topics}. */
    @Bean(initMethod = "start", destroyMethod = "close")
    ZkTopicsImageSource topicsImageSource(CuratorFramework curator) {
        return new ZkTopicsImageSource(curator);
    }

    @Bean
    StoreWriteFence storeWriteFence(GroupOwnership ownership, GroupPartitionEpochRepository epochs) {
        return new StoreWriteFence(ownership, new GroupPartitionEpochs(epochs));
    }

    /** The membership of KIP-848 groups in the shared store, for the coordinator that takes them over. */
    @Bean(destroyMethod = "close")
    JpaConsumerGroupStore consumerGroupStore(
            ConsumerGroupStateRepository repository,
            PlatformTransactionManager transactionManager,
            StoreWriteFence fence) {
        return new JpaConsumerGroupStore(repository, new TransactionTemplate(transactionManager), fence);
    }

    @Bean
    ConsumerGroupCoordinator consumerGroupCoordinator(
            ConsumerGroupProperties properties,
            ZkTopicsImageSource topics,
            GroupTimer timer,
            JpaConsumerGroupStore store) {
        return new ConsumerGroupCoordinator(
                properties,
                new ConsumerGroups(store),
                topics,
                timer,
                List.of(new UniformAssignor(), new RangeAssignor()));
    }

    @Bean
    OffsetExpiration offsetExpiration(
            GroupRegistry registry,
            MembershipManager membership,
            OffsetManager offsets,
            PendingTxnOffsets pending,
            JpaGroupMetadataStore store,
            GroupTimer timer,
            GroupCoordinatorProperties properties) {
        return new OffsetExpiration(registry, membership, offsets, pending, store, timer, properties);
    }

    @Bean
    PeriodicTasks offsetExpiryScheduler(
            OffsetExpiration expiration, OffsetHistory history, GroupCoordinatorProperties properties) {
        return new PeriodicTasks(
                "group-offset-expiry", properties.offsetsRetentionCheckInterval(), expiration::run, history::prune);
    }
}
