package io.tributary.it;

/**
 * The standard cluster that IT classes needing nothing special share: a metadata-service, three
 * brokers and a group-coordinator (no initial rebalance delay). Starting one costs 20–40 s of
 * two cores; Failsafe runs every IT class in one JVM, so the first class to ask starts it and
 * it is stopped when that JVM exits. A class using it works on topics and groups named for it,
 * must leave every service running (a test that stops or restarts one brings it back), and does
 * not close it.
 */
public final class SharedCluster {

    private static TributaryCluster cluster;

    private SharedCluster() {}

    /** The shared cluster, started on first use, every service UP. */
    public static synchronized TributaryCluster get() {
        if (cluster == null) {
            TributaryCluster started = new TributaryCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(SharedCluster::close, "shared-cluster-stop"));
            cluster = started;
            started.startMetadataService("metadata-1");
            started.startBrokers(3);
            started.startGroupCoordinator("group-coordinator-1", "--tributary.group.initial-rebalance-delay=0s");
        }
        cluster.awaitHealthy();
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
