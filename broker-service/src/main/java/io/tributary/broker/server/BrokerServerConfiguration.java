package io.tributary.broker.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.broker.cleaner.LogCleanerProperties;
import io.tributary.broker.cluster.BrokerRegistrar;
import io.tributary.broker.cluster.ClusterIdentity;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.config.BrokerSecurityProperties;
import io.tributary.broker.fetch.FetchSessionCache;
import io.tributary.broker.logdir.LogDirFailureHandler;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.broker.producer.ProducerIdManager;
import io.tributary.broker.producer.ProducerStateProperties;
import io.tributary.broker.replication.ReplicaFetcherConfig;
import io.tributary.broker.replication.ReplicaFetcherManager;
import io.tributary.broker.replication.ZkIsrWriter;
import io.tributary.common.protocol.ApiFeatures;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.ConnectionListener;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.protocol.ProtocolServerConfig;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import io.tributary.common.protocol.metrics.MicrometerConnectionMetrics;
import io.tributary.common.protocol.metrics.MicrometerRequestMetrics;
import io.tributary.common.security.SaslMechanisms;
import io.tributary.storage.log.LogManager;
import io.tributary.storage.log.LogManagerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * Wires the broker: the log manager over {@code log.dirs}, the replica manager fed by the
 * cluster metadata, and the Kafka-protocol server with every {@link ApiHandler} bean (wrapped by
 * every {@link HandlerDecorator} bean). Spring
 * closes them in reverse: the listener first, the logs last (flushed and checkpointed).
 */
@Configuration(proxyBeanMethods = false)
class BrokerServerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BrokerServerConfiguration.class);

    @Bean(destroyMethod = "shutdown")
    LogManager logManager(BrokerProperties properties, LogCleanerProperties cleanerProperties) {
        List<Path> dirs = properties.logDirs().stream().map(Path::of).toList();
        LogManagerConfig config = new LogManagerConfig(
                dirs,
                cleanerProperties.topicDefaults(),
                properties.logRetentionCheckInterval().toMillis(),
                LogManagerConfig.DEFAULT_FLUSH_CHECK_INTERVAL_MS,
                LogManagerConfig.DEFAULT_CHECKPOINT_INTERVAL_MS);
        return LogManager.start(config, Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    ReplicaManager replicaManager(
            BrokerProperties properties,
            BrokerSecurityProperties security,
            ProducerStateProperties producerState,
            LogManager logManager,
            ClusterMetadataCache cache,
            CuratorFramework curator) {
        ReplicaFetcherConfig fetcherConfig = replicaFetcherConfig(properties);
        ReplicaFetcherManager fetchers = new ReplicaFetcherManager(
                properties.id(),
                cache,
                // followers fetch through the leaders' one listener, so they speak its protocol
                () -> new KafkaProtocolClient(
                        "broker-" + properties.id() + "-replica-fetcher",
                        fetcherConfig.socketTimeout(),
                        security.interBrokerClientConfigs()),
                fetcherConfig);
        ReplicaManager replicaManager = new ReplicaManager(
                properties.id(),
                logManager,
                Clock.systemUTC(),
                properties.minInsyncReplicas(),
                fetchers,
                new ZkIsrWriter(curator),
                properties.replicaLagTimeMax().toMillis(),
                producerState);
        cache.addListener(replicaManager);
        // the cache may have loaded before the listener was added
        replicaManager.onChange(cache.snapshot());
        return replicaManager;
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    LogDirFailureHandler logDirFailureHandler(
            LogManager logManager, ReplicaManager replicaManager, BrokerRegistrar registrar) {
        return new LogDirFailureHandler(logManager, replicaManager, registrar);
    }

    /** The {@code replica.*} settings as the fetchers take them. */
    static ReplicaFetcherConfig replicaFetcherConfig(BrokerProperties properties) {
        return new ReplicaFetcherConfig(
                Math.toIntExact(properties.replicaFetchMaxBytes().toBytes()),
                Math.toIntExact(properties.replicaFetchResponseMaxBytes().toBytes()),
                properties.replicaFetchWaitMax(),
                Math.toIntExact(properties.replicaFetchMinBytes().toBytes()),
                properties.replicaFetchBackoff(),
                properties.replicaSocketTimeout(),
                properties.numReplicaFetchers());
    }

    /** Closed before the replica manager and the logs, so appends still running can finish. */
    @Bean(destroyMethod = "close")
    @DependsOn({"replicaManager", "logManager"})
    RequestHandlerPool requestHandlerPool(BrokerProperties properties) {
        return new RequestHandlerPool(properties.requestHandlerThreads());
    }

    @Bean
    FetchSessionCache fetchSessionCache(BrokerProperties properties) {
        return new FetchSessionCache(
                properties.maxIncrementalFetchSessionCacheSlots(),
                FetchSessionCache.DEFAULT_EVICTION_AGE,
                Clock.systemUTC());
    }

    @Bean
    ProducerIdManager producerIdManager(CuratorFramework curator, BrokerProperties properties) {
        return new ProducerIdManager(curator, properties.id());
    }

    @Bean
    BrokerIdentity brokerIdentity(CuratorFramework curator, BrokerProperties properties) throws Exception {
        return new BrokerIdentity(properties.id(), ClusterIdentity.clusterId(curator));
    }

    @Bean(destroyMethod = "close")
    KafkaProtocolServer kafkaProtocolServer(
            BrokerProperties properties,
            BrokerSecurityProperties security,
            List<ApiHandler> handlers,
            List<ConnectionListener> connectionListeners,
            List<HandlerDecorator> decorators,
            SaslMechanisms saslMechanisms,
            ObjectProvider<ApiFeatures> features,
            ObjectProvider<MeterRegistry> meterRegistry) {
        ApiHandlerRegistry.Builder registry =
                ApiHandlerRegistry.builder().features(features.getIfAvailable(() -> ApiFeatures.NONE));
        for (ApiHandler handler : handlers) {
            for (HandlerDecorator decorator : decorators) {
                handler = decorator.decorate(handler);
            }
            registry.register(handler);
        }
        ProtocolServerConfig config = ProtocolServerConfig.of(properties.listenHost(), properties.kafkaPort())
                .withIoThreads(properties.ioThreads())
                .withMaxRequestBytes((int) Math.min(
                        Integer.MAX_VALUE, properties.socketRequestMaxBytes().toBytes()))
                .withConnectionsMaxIdle(properties.connectionsMaxIdle())
                .withConnectionLimits(properties.maxConnections(), properties.maxConnectionsPerIp())
                .withMaxInFlightPerConnection(properties.maxInFlightRequestsPerConnection())
                .withSecurity(security.listener());
        ApiHandlerRegistry apis = registry.build();
        KafkaProtocolServer server = new KafkaProtocolServer(config, apis);
        meterRegistry.ifAvailable(meters -> {
            server.requestMetrics(new MicrometerRequestMetrics(meters, apis.apiKeys()));
            new MicrometerConnectionMetrics(server.metrics()).bindTo(meters);
        });
        connectionListeners.forEach(server::addConnectionListener);
        server.saslMechanisms(saslMechanisms);
        server.start();
        log.info(
                "Broker {} serves the Kafka protocol on {}:{} ({}, {} APIs)",
                properties.id(),
                properties.listenHost(),
                server.port(),
                security.protocol(),
                handlers.size() + 1);
        return server;
    }
}
