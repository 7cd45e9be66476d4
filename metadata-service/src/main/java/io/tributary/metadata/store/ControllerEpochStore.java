package io.tributary.metadata.store;

import io.tributary.common.zk.ControllerRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims the controller epoch for a newly elected controller: one multi-op increments
 * {@code /controller_epoch} with a compare-and-set on its version and replaces the ephemeral
 * {@code /controller} znode, so the epoch and the controller record always move together.
 * Thread-safe.
 */
public class ControllerEpochStore {

    private static final Logger log = LoggerFactory.getLogger(ControllerEpochStore.class);
    private static final int MAX_ATTEMPTS = 10;

    private final CuratorFramework curator;

    public ControllerEpochStore(CuratorFramework curator) {
        this.curator = curator;
    }

    /**
     * Increments the controller epoch and writes {@code /controller}.
     *
     * @param record the controller record for a given new epoch
     * @return the epoch claimed and the epoch znode's version that holds it
     */
    public ControllerEpoch claim(IntFunction<ControllerRecord> record) throws Exception {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Stat epochStat = new Stat();
            int current;
            try {
                current = ZkJson.fromBytes(
                        curator.getData().storingStatIn(epochStat).forPath(ZkPaths.CONTROLLER_EPOCH), Integer.class);
            } catch (KeeperException.NoNodeException e) {
                createInitialEpoch();
                continue;
            }
            int next = current + 1;
            List<CuratorOp> ops = new ArrayList<>();
            ops.add(curator.transactionOp()
                    .setData()
                    .withVersion(epochStat.getVersion())
                    .forPath(ZkPaths.CONTROLLER_EPOCH, ZkJson.toBytes(next)));
            Stat controllerStat = curator.checkExists().forPath(ZkPaths.CONTROLLER);
            if (controllerStat != null) {
                // a deposed controller's record whose session is still alive: the epoch fences it anyway
                ops.add(curator.transactionOp()
                        .delete()
                        .withVersion(controllerStat.getVersion())
                        .forPath(ZkPaths.CONTROLLER));
            }
            ops.add(curator.transactionOp()
                    .create()
                    .withMode(CreateMode.EPHEMERAL)
                    .forPath(ZkPaths.CONTROLLER, ZkJson.toBytes(record.apply(next))));
            try {
                curator.transaction().forOperations(ops);
                return new ControllerEpoch(next, epochStat.getVersion() + 1);
            } catch (KeeperException.BadVersionException
                    | KeeperException.NodeExistsException
                    | KeeperException.NoNodeException e) {
                log.info("Controller epoch claim raced with another writer ({}); retrying", e.code());
            }
        }
        throw new IllegalStateException("Could not claim the controller epoch after " + MAX_ATTEMPTS + " attempts");
    }

    /** Removes {@code /controller} if this session wrote it (graceful step-down). */
    public void release(ControllerEpoch epoch) {
        try {
            Stat stat = new Stat();
            ControllerRecord current = ZkJson.fromBytes(
                    curator.getData().storingStatIn(stat).forPath(ZkPaths.CONTROLLER), ControllerRecord.class);
            long session = curator.getZookeeperClient().getZooKeeper().getSessionId();
            if (current.controllerEpoch() == epoch.epoch() && stat.getEphemeralOwner() == session) {
                curator.delete().withVersion(stat.getVersion()).forPath(ZkPaths.CONTROLLER);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // already replaced or gone
        } catch (Exception e) {
            log.warn("Could not remove {} on step-down; it goes with the session", ZkPaths.CONTROLLER, e);
        }
    }

    private void createInitialEpoch() throws Exception {
        try {
            curator.create().creatingParentsIfNeeded().forPath(ZkPaths.CONTROLLER_EPOCH, ZkJson.toBytes(0));
        } catch (KeeperException.NodeExistsException e) {
            // another instance created it first
        }
    }
}
