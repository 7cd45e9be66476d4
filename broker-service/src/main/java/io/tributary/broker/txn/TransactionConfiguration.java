package io.tributary.broker.txn;

import io.tributary.broker.admin.MetadataServiceClient;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.config.BrokerSecurityProperties;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.broker.producer.ProducerIdManager;
import io.tributary.broker.producer.TransactionVerifier;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiFeatures;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.ThreadUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The transaction coordinator, its state log, its marker channel and its periodic timeout check. */
@Configuration(proxyBeanMethods = false)
class TransactionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TransactionConfiguration.class);

    /** Kafka's feature name (its {@code TransactionVersion.FEATURE_NAME}). */
    static final String TRANSACTION_VERSION_FEATURE = "transaction.version";
    /** Above the clients' initial -1, so they adopt the finalized level. */
    private static final long FINALIZED_FEATURES_EPOCH = 1L;

    /** The coordinator's own thread: timeout checks and marker retries, never a request's wait. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService transactionScheduler(TransactionProperties properties) {
        return Executors.newSingleThreadScheduledExecutor(
                ThreadUtils.createThreadFactory("transaction-coordinator", true));
    }

    @Bean(destroyMethod = "close")
    KafkaProtocolClient transactionMarkerClient(BrokerProperties broker, BrokerSecurityProperties security) {
        // markers go to the leaders' one listener, authenticated as the broker (CLUSTER_ACTION)
        return new KafkaProtocolClient(
                "broker-" + broker.id() + "-txn-markers", Duration.ofSeconds(30), security.interBrokerClientConfigs());
    }

    /**
     * The leaders' verification of transactional produces (KIP-890 part 1); with
     * {@code partition-verification-enable=false}, none.
     */
    @Bean
    TransactionVerifier transactionVerifier(
            TransactionProperties properties,
            TransactionCoordinator coordinator,
            BrokerProperties broker,
            BrokerSecurityProperties security) {
        if (!properties.partitionVerificationEnable() && !properties.v2()) {
            log.info("Transaction verification is off: transactional produces are appended unverified");
            return TransactionVerifier.DISABLED;
        }
        // to the coordinators' one listener, authenticated as the broker (CLUSTER_ACTION)
        KafkaProtocolClient client = new KafkaProtocolClient(
                "broker-" + broker.id() + "-txn-verification",
                Duration.ofSeconds(30),
                security.interBrokerClientConfigs());
        return new TransactionVerificationSender(
                coordinator::coordinatorFor, client, properties.partitionVerificationEnable(), properties.v2());
    }

    /**
     * {@code transaction.version} in ApiVersions: with 2, supported 0..2 and finalized 2, so that
     * kafka-clients 4.x use transactions V2; with 1, no features, as before KIP-890 part 2. The
     * finalized epoch is fixed (the level comes from configuration, not from a changing cluster
     * state); clients read the level when a producer initializes.
     */
    @Bean
    ApiFeatures apiFeatures(TransactionProperties properties) {
        if (!properties.v2()) {
            return ApiFeatures.NONE;
        }
        log.info("Transactions V2 (transaction.version 2) are advertised to clients");
        return new ApiFeatures(
                List.of(new ApiFeatures.Feature(
                        TRANSACTION_VERSION_FEATURE, (short) 0, (short) 2, properties.version())),
                FINALIZED_FEATURES_EPOCH);
    }

    @Bean
    TransactionCoordinator transactionCoordinator(
            ReplicaManager replicaManager,
            ClusterMetadataCache cache,
            MetadataServiceClient metadataService,
            RequestHandlerPool pool,
            ProducerIdManager producerIds,
            TransactionProperties properties,
            KafkaProtocolClient transactionMarkerClient,
            ScheduledExecutorService transactionScheduler,
            GroupMarkerChannel groupMarkers) {
        TransactionLog txnLog = new TransactionLog(replicaManager, cache, metadataService, pool, properties);
        TxnMarkerWriter markers =
                new TxnMarkerWriter(cache, transactionMarkerClient, transactionScheduler, groupMarkers);
        TransactionCoordinator coordinator =
                new TransactionCoordinator(txnLog, markers, producerIds, properties, Clock.systemUTC());
        long interval = properties.abortTimedOutTransactionCleanupInterval().toMillis();
        // on a handler thread: loading a partition's state reads the log
        transactionScheduler.scheduleWithFixedDelay(
                () -> pool.submit(() -> {
                    try {
                        coordinator.abortTimedOutTransactions();
                    } catch (RuntimeException | Error e) {
                        log.warn("Checking for timed-out transactions failed", e);
                    }
                    return null;
                }),
                interval,
                interval,
                TimeUnit.MILLISECONDS);
        return coordinator;
    }
}
