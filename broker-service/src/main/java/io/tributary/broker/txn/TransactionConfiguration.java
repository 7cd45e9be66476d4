package io.tributary.broker.txn;

import io.tributary.broker.admin.MetadataServiceClient;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.config.BrokerSecurityProperties;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.broker.producer.ProducerIdManager;
import io.tributary.broker.producer.TransactionVerifier;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The transaction coordinator, its state log, its marker channel and its periodic timeout check. */
@Configuration(proxyBeanMethods = false)
class TransactionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TransactionConfiguration.class);

    /** The coordinator's own thread: timeout checks and marker retries, never a request's wait. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService transactionScheduler(TransactionProperties properties) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "transaction-coordinator");
            thread.setDaemon(true);
            return thread;
        });
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
        if (!properties.partitionVerificationEnable()) {
            log.info("Transaction verification is off: transactional produces are appended unverified");
            return TransactionVerifier.DISABLED;
        }
        // to the coordinators' one listener, authenticated as the broker (CLUSTER_ACTION)
        KafkaProtocolClient client = new KafkaProtocolClient(
                "broker-" + broker.id() + "-txn-verification",
                Duration.ofSeconds(30),
                security.interBrokerClientConfigs());
        return new TransactionVerificationSender(coordinator::coordinatorFor, client);
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
