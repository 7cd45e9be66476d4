package io.tributary.broker.cluster;

import io.tributary.common.zk.ZkPaths;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.Uuid;
import org.apache.zookeeper.KeeperException;

/**
 * The cluster id clients see in Metadata: created once, by whichever broker starts first, as a
 * persistent {@code /cluster/id} znode (as Kafka did on ZooKeeper), then read by everyone.
 */
public final class ClusterIdentity {

    private ClusterIdentity() {}

    public static String clusterId(CuratorFramework curator) throws Exception {
        try {
            curator.create()
                    .creatingParentsIfNeeded()
                    .forPath(ZkPaths.CLUSTER_ID, Uuid.randomUuid().toString().getBytes(StandardCharsets.UTF_8));
        } catch (KeeperException.NodeExistsException e) {
            // another broker created it first: use theirs
        }
        return new String(curator.getData().forPath(ZkPaths.CLUSTER_ID), StandardCharsets.UTF_8);
    }
}
