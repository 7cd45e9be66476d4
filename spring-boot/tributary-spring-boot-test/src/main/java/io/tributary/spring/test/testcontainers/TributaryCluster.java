package io.tributary.spring.test.testcontainers;

import java.util.ArrayList;
import java.util.List;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;

/**
 * A Tributary cluster of N brokers in containers, from Tributary's images: ZooKeeper, a
 * metadata-service, a group-coordinator and brokers 1..N (each a {@link TributaryContainer}).
 * Start and stop it as a whole ({@code @Container static TributaryCluster cluster = …}); a broker
 * can also be stopped and started alone to test failover. For {@code @ServiceConnection}, annotate
 * one of its brokers, which names every broker to the client:
 *
 * <pre>{@code
 * @Container
 * static TributaryCluster cluster = new TributaryCluster(3);
 *
 * @ServiceConnection
 * static TributaryContainer broker = cluster.broker(1);
 * }</pre>
 *
 * Not thread-safe: configure, then start.
 */
public class TributaryCluster implements Startable {

    private final ClusterServices services;
    private final List<TributaryContainer> brokers = new ArrayList<>();

    /** {@code brokers} brokers of the default images. */
    public TributaryCluster(int brokers) {
        this(brokers, TributaryImages.defaults());
    }

    public TributaryCluster(int brokers, TributaryImages images) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster needs at least one broker, not " + brokers);
        }
        this.services = new ClusterServices(images);
        for (int id = 1; id <= brokers; id++) {
            this.brokers.add(new TributaryContainer(services, id, false));
        }
    }

    /** Broker {@code id}, from 1. */
    public TributaryContainer broker(int id) {
        if (id < 1 || id > brokers.size()) {
            throw new IllegalArgumentException("no broker " + id + " in a cluster of " + brokers.size());
        }
        return brokers.get(id - 1);
    }

    public List<TributaryContainer> brokers() {
        return List.copyOf(brokers);
    }

    /** {@code localhost:<kafka port>} of every broker. */
    public List<String> bootstrapServers() {
        return services.bootstrapServers();
    }

    public String zookeeperConnect() {
        return services.zookeeperConnect();
    }

    /** Starts ZooKeeper, then the metadata-service and group-coordinator, then the brokers. */
    @Override
    public void start() {
        Startables.deepStart(brokers).join();
    }

    @Override
    public void stop() {
        brokers.forEach(TributaryContainer::stop);
        services.stop();
    }
}
