package io.tributary.broker.producer;

import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out producer ids unique across the cluster. Like Kafka's ZooKeeper-mode manager, each
 * broker claims blocks of {@value #BLOCK_SIZE} ids by a compare-and-set on
 * {@code /latest_producer_id_block}, so two brokers can never claim the same block, and then
 * allocates from its block locally. Thread-safe.
 */
public class ProducerIdManager {

    static final long BLOCK_SIZE = 1000;

    private static final Logger log = LoggerFactory.getLogger(ProducerIdManager.class);

    /** Content of {@code /latest_producer_id_block}: the last block claimed, inclusive bounds. */
    public record ProducerIdBlock(int brokerId, long blockStart, long blockEnd) {}

    private final CuratorFramework curator;
    private final int brokerId;
    private long next;
    private long blockEnd = -1;

    public ProducerIdManager(CuratorFramework curator, int brokerId) {
        this.curator = curator;
        this.brokerId = brokerId;
    }

    /** The next unused producer id. */
    public synchronized long nextProducerId() throws Exception {
        if (next > blockEnd) {
            claimBlock();
        }
        return next++;
    }

    private void claimBlock() throws Exception {
        while (true) {
            Stat stat = new Stat();
            try {
                byte[] data = curator.getData().storingStatIn(stat).forPath(ZkPaths.PRODUCER_ID_BLOCK);
                ProducerIdBlock last = ZkJson.fromBytes(data, ProducerIdBlock.class);
                ProducerIdBlock mine = new ProducerIdBlock(brokerId, last.blockEnd() + 1, last.blockEnd() + BLOCK_SIZE);
                curator.setData()
                        .withVersion(stat.getVersion())
                        .forPath(ZkPaths.PRODUCER_ID_BLOCK, ZkJson.toBytes(mine));
                use(mine);
                return;
            } catch (KeeperException.NoNodeException e) {
                ProducerIdBlock first = new ProducerIdBlock(brokerId, 0, BLOCK_SIZE - 1);
                try {
                    curator.create()
                            .creatingParentsIfNeeded()
                            .forPath(ZkPaths.PRODUCER_ID_BLOCK, ZkJson.toBytes(first));
                    use(first);
                    return;
                } catch (KeeperException.NodeExistsException raced) {
                    // another broker created it first: claim the block after its one
                }
            } catch (KeeperException.BadVersionException raced) {
                // another broker claimed a block between our read and write: read again
            }
        }
    }

    private void use(ProducerIdBlock block) {
        next = block.blockStart();
        blockEnd = block.blockEnd();
        log.info("Broker {} claimed producer ids {}..{}", brokerId, block.blockStart(), block.blockEnd());
    }
}
