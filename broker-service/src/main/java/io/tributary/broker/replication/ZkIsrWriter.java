package io.tributary.broker.replication;

import io.tributary.broker.partition.IsrWriter;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.ThreadUtils;
import org.apache.zookeeper.data.Stat;

/**
 * Writes a leader's ISR changes to {@code /topics/{t}/partitions/{p}/state} as a compare-and-set
 * on the znode version the leader last saw, so a concurrent controller decision (a new leader,
 * a dead broker removed) is never overwritten: the write fails with
 * {@link org.apache.zookeeper.KeeperException.BadVersionException} and the leader re-reads.
 * Writes run one at a time on their own thread, off the request and ZooKeeper event threads.
 */
public class ZkIsrWriter implements IsrWriter {

    private final CuratorFramework curator;
    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(ThreadUtils.createThreadFactory("isr-writer", true));

    public ZkIsrWriter(CuratorFramework curator) {
        this.curator = curator;
    }

    /** Writes {@code state} if the znode is still at {@code expectedVersion}; completes with the new version. */
    @Override
    public CompletableFuture<Integer> write(TopicPartition tp, PartitionState state, int expectedVersion) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        Stat stat = curator.setData()
                                .withVersion(expectedVersion)
                                .forPath(ZkPaths.partitionState(tp.topic(), tp.partition()), ZkJson.toBytes(state));
                        return stat.getVersion();
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                },
                executor);
    }

    /** The state as it is in ZooKeeper now. */
    @Override
    public CompletableFuture<Optional<VersionedState>> read(TopicPartition tp) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        Stat stat = new Stat();
                        byte[] data = curator.getData()
                                .storingStatIn(stat)
                                .forPath(ZkPaths.partitionState(tp.topic(), tp.partition()));
                        return Optional.of(
                                new VersionedState(ZkJson.fromBytes(data, PartitionState.class), stat.getVersion()));
                    } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
                        return Optional.empty();
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                },
                executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
