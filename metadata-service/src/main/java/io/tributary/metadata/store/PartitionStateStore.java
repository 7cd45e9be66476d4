package io.tributary.metadata.store;

import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;

/**
 * The controller's writes of {@code /topics/{name}/partitions/{p}/state}. Each write is one
 * ZooKeeper multi-op: a check that {@code /controller_epoch} still has the version the
 * controller was elected with, plus a create or a compare-and-set of the state znode. So a
 * deposed controller's write fails ({@link ControllerFencedException}) and a write that lost a
 * race with another writer, such as the leader broker changing the ISR, fails
 * ({@link StateConflictException}) instead of overwriting it. Thread-safe.
 */
public class PartitionStateStore {

    private final CuratorFramework curator;

    public PartitionStateStore(CuratorFramework curator) {
        this.curator = curator;
    }

    /**
     * Creates the state of a partition that has none yet.
     *
     * @return the state as written, version 0
     * @throws TopicGoneException       when the partition's parent znode is gone (topic deleted)
     * @throws StateConflictException   when the state exists already
     * @throws ControllerFencedException when {@code epoch} is no longer current
     */
    public Versioned<PartitionState> create(ControllerEpoch epoch, String topic, int partition, PartitionState state)
            throws Exception {
        String path = ZkPaths.partitionState(topic, partition);
        commit(epoch, path, curator.transactionOp().create().forPath(path, ZkJson.toBytes(state)), true);
        return new Versioned<>(state, 0);
    }

    /**
     * Replaces the state if it still has {@code expectedVersion}.
     *
     * @return the state as written, with its new version
     * @throws StateConflictException   when the version moved or the state is gone
     * @throws ControllerFencedException when {@code epoch} is no longer current
     */
    public Versioned<PartitionState> update(
            ControllerEpoch epoch, String topic, int partition, PartitionState state, int expectedVersion)
            throws Exception {
        String path = ZkPaths.partitionState(topic, partition);
        commit(
                epoch,
                path,
                curator.transactionOp().setData().withVersion(expectedVersion).forPath(path, ZkJson.toBytes(state)),
                false);
        return new Versioned<>(state, expectedVersion + 1);
    }

    private void commit(ControllerEpoch epoch, String path, CuratorOp write, boolean create) throws Exception {
        CuratorOp fence =
                curator.transactionOp().check().withVersion(epoch.zkVersion()).forPath(ZkPaths.CONTROLLER_EPOCH);
        try {
            List<CuratorTransactionResult> results = curator.transaction().forOperations(fence, write);
            if (results.size() != 2) {
                throw new IllegalStateException("Unexpected multi-op result for " + path + ": " + results);
            }
        } catch (KeeperException e) {
            KeeperException.Code fenceCode = codeOf(e, 0);
            if (fenceCode != KeeperException.Code.OK) {
                // the epoch znode's version moved (or vanished): a newer controller exists
                throw new ControllerFencedException(epoch);
            }
            KeeperException.Code writeCode = codeOf(e, 1);
            if (writeCode == KeeperException.Code.NONODE && create) {
                throw new TopicGoneException(path);
            }
            if (writeCode == KeeperException.Code.NODEEXISTS
                    || writeCode == KeeperException.Code.BADVERSION
                    || writeCode == KeeperException.Code.NONODE) {
                throw new StateConflictException(path);
            }
            throw e;
        }
    }

    /** The error of operation {@code index} of a failed multi-op. */
    private static KeeperException.Code codeOf(KeeperException e, int index) {
        List<OpResult> results = e.getResults();
        if (results == null || results.size() <= index) {
            // no per-operation results: attribute the failure by its code
            if (index == 0) {
                return e.code() == KeeperException.Code.BADVERSION ? e.code() : KeeperException.Code.OK;
            }
            return e.code();
        }
        OpResult result = results.get(index);
        if (result instanceof OpResult.ErrorResult error) {
            return KeeperException.Code.get(error.getErr());
        }
        return KeeperException.Code.OK;
    }
}
