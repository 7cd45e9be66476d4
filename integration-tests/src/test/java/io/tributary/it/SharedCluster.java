package io.tributary.it;

/**
 * The standard cluster that IT classes needing nothing special share: a metadata-service, three
 * brokers and a group-coordinator (no initial rebalance delay). Starting one costs 20–40 s of
 * two cores; Failsafe runs the IT classes in two JVMs side by side, each running its classes one
 * after the other, so the first class of a JVM to ask starts that JVM's shared cluster and it is
 * stopped when the JVM exits. A class using it works on topics, groups and transactional
 * ids named for it, must leave every service running (a test that stops or restarts one brings
 * it back), and does not close it. Each {@link #get()} waits until every service is UP and every
 * partition has its full ISR again, so a class starts on a whole cluster whatever the previous
 * one stopped or killed.
 *
 * <p>Three settings shorten waits that some classes have and the others do not notice: the log
 * cleaner looks for dirty logs every 200 ms (CompactionIT waits for its cleaning), transactions
 * open past their timeout are looked for every 500 ms (TransactionsIT waits for such an abort),
 * and KIP-848 members are told to heartbeat every 500 ms, so one waiting for a partition another
 * member released hears of it sooner (ConsumerProtocolGroupIT).
 */
public final class SharedCluster {

    private static TributaryCluster cluster;

    private SharedCluster() {}

    /** The shared cluster, started on first use, every service UP and every ISR full. */
    public static synchronized TributaryCluster get() {
        if (cluster == null) {
            TributaryCluster started = new TributaryCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(SharedCluster::close, "shared-cluster-stop"));
            cluster = started;
            started.startMetadataService("metadata-1");
            started.startBrokers(
                    3,
                    "--tributary.broker.log-cleaner-backoff=200ms",
                    "--tributary.transaction.abort-timed-out-transaction-cleanup-interval=500ms");
            started.startGroupCoordinator(
                    "group-coordinator-1",
                    "--tributary.group.initial-rebalance-delay=0s",
                    "--tributary.group.consumer.heartbeat-interval=500ms");
        }
        cluster.awaitHealthy();
        cluster.awaitFullIsr();
        return cluster;
    }

    private static synchronized void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            System.err.println("could not stop the shared cluster: " + e);
        }
    }
}
