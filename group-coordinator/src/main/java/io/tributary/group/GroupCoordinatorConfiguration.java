package io.tributary.group;

import io.tributary.group.config.ConsumerGroupProperties;
import io.tributary.group.config.GroupCoordinatorProperties;
import io.tributary.group.consumer.ConsumerGroupCoordinator;
import io.tributary.group.consumer.ConsumerGroups;
import io.tributary.group.consumer.ZkTopicsImageSource;
import io.tributary.group.consumer.assignor.RangeAssignor;
import io.tributary.group.consumer.assignor.UniformAssignor;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.OffsetExpiration;
import io.tributary.group.membership.GroupRegistry;
import io.tributary.group.membership.GroupTimer;
import io.tributary.group.membership.MembershipManager;
import io.tributary.group.membership.ScheduledGroupTimer;
import io.tributary.group.offset.OffsetManager;
import io.tributary.group.persistence.CommittedOffsetRepository;
import io.tributary.group.persistence.GroupMetadataRepository;
import io.tributary.group.persistence.JpaGroupMetadataStore;
import java.time.Clock;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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

    @Bean
    GroupRegistry groupRegistry(JpaGroupMetadataStore store, GroupDatabaseExecutor executor, GroupTimer timer) {
        return new GroupRegistry(store, executor, timer);
    }

    @Bean
    MembershipManager membershipManager(
            GroupCoordinatorProperties properties,
            GroupTimer timer,
            GroupRegistry registry,
            JpaGroupMetadataStore store) {
        return new MembershipManager(properties, timer, registry, store);
    }

    @Bean
    OffsetManager offsetManager(
            CommittedOffsetRepository offsets,
            GroupMetadataRepository groups,
            PlatformTransactionManager transactionManager,
            GroupCoordinatorProperties properties) {
        return new OffsetManager(
                offsets, groups, new TransactionTemplate(transactionManager), Clock.systemUTC(), properties);
    }

    @Bean
    GroupCoordinator groupCoordinator(
            MembershipManager membership,
            OffsetManager offsets,
            GroupRegistry registry,
            JpaGroupMetadataStore store,
            GroupDatabaseExecutor executor,
            ConsumerGroupCoordinator consumerGroups) {
        return new GroupCoordinator(membership, offsets, registry, store, executor, consumerGroups);
    }

    /** The topics KIP-848 assignments are made of, from ZooKeeper's {@code /topics}. */
    @Bean(initMethod = "start", destroyMethod = "close")
    ZkTopicsImageSource topicsImageSource(CuratorFramework curator) {
        return new ZkTopicsImageSource(curator);
    }

    @Bean
    ConsumerGroupCoordinator consumerGroupCoordinator(
            ConsumerGroupProperties properties, ZkTopicsImageSource topics, GroupTimer timer) {
        return new ConsumerGroupCoordinator(
                properties, new ConsumerGroups(), topics, timer, List.of(new UniformAssignor(), new RangeAssignor()));
    }

    @Bean
    OffsetExpiration offsetExpiration(
            GroupRegistry registry,
            MembershipManager membership,
            OffsetManager offsets,
            JpaGroupMetadataStore store,
            GroupTimer timer,
            GroupCoordinatorProperties properties) {
        return new OffsetExpiration(registry, membership, offsets, store, timer, properties);
    }

    @Bean
    OffsetExpiryScheduler offsetExpiryScheduler(OffsetExpiration expiration, GroupCoordinatorProperties properties) {
        return new OffsetExpiryScheduler(expiration, properties.offsetsRetentionCheckInterval());
    }
}
