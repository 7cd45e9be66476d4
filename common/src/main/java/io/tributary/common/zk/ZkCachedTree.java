package io.tributary.common.zk;

import java.io.Closeable;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * A ZooKeeper subtree that every service instance reads from memory and any instance may change:
 * a {@link CuratorCache} of the subtree (reads never touch ZooKeeper; a change made through any
 * instance is seen by all within moments) plus {@link #update}, a compare-and-set of one znode
 * retried until no other instance changed it in between. The ACLs, the client quotas and the
 * users' SCRAM credentials are kept this way.
 *
 * <p>{@link #update} is a blocking ZooKeeper call, and returns once this instance's cache holds
 * the write (read-your-writes): call it off the event loops. Thread-safe.
 */
public final class ZkCachedTree implements Closeable {

    /** How long {@link #update} waits for its own write to reach the cache before it returns anyway. */
    private static final Duration OWN_WRITE_WAIT = Duration.ofSeconds(5);

    private static final int DELETED = -1;

    private final CuratorFramework curator;
    private final CuratorCache cache;
    private final Consumer<ZkCachedTree> onChange;

    /**
     * Starts caching {@code root}.
     *
     * @param onChange called with this tree (on Curator's thread, possibly before this constructor
     *                 returns) once the cache is loaded and after every change, and on the writer's
     *                 thread after each {@link #update}, one call at a time, to rebuild what is
     *                 derived from the tree; {@code null} for none
     */
    public ZkCachedTree(CuratorFramework curator, String root, Consumer<ZkCachedTree> onChange) {
        this.curator = curator;
        this.cache = CuratorCache.build(curator, root);
        this.onChange = onChange == null ? tree -> {} : onChange;
        cache.listenable()
                .addListener(CuratorCacheListener.builder()
                        .forAll((type, before, after) -> changed())
                        .forInitialized(this::changed)
                        .build());
        cache.start();
    }

    /** Every cached znode, the root and intermediate ones included. */
    public Stream<ChildData> nodes() {
        return cache.stream();
    }

    /** The cached znode at {@code path}. */
    public Optional<ChildData> node(String path) {
        return cache.get(path);
    }

    /** The data of the znode at {@code path}, read from ZooKeeper itself (blocking); empty if there is none. */
    public Optional<byte[]> read(String path) throws Exception {
        try {
            return Optional.ofNullable(curator.getData().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    /**
     * Replaces the data of the znode at {@code path} by {@code change} of its current data, with a
     * version check, reading and applying {@code change} again whenever another writer got in
     * between (so {@code change} must not keep state across calls).
     *
     * @param change from the current data ({@code null} when the znode does not exist) to the new
     *               data, or {@code null} for "nothing left": the znode is then deleted if it exists
     *               and has no children (emptied if it has), and not created if it does not exist
     */
    public void update(String path, UnaryOperator<byte[]> change) throws Exception {
        while (true) {
            Stat stat = new Stat();
            byte[] current;
            try {
                current = curator.getData().storingStatIn(stat).forPath(path);
                current = current == null ? new byte[0] : current;
            } catch (KeeperException.NoNodeException e) {
                current = null;
            }
            byte[] next = change.apply(current);
            int written;
            try {
                written = write(path, current != null, stat, next);
            } catch (KeeperException.BadVersionException
                    | KeeperException.NodeExistsException
                    | KeeperException.NotEmptyException
                    | KeeperException.NoNodeException e) {
                // another writer changed the same znode meanwhile: read again
                continue;
            }
            awaitCached(path, written);
            changed(); // what is derived from the tree includes the write when this returns
            return;
        }
    }

    /** Serialised: a rebuild from an older state of the cache never overwrites a newer one. */
    private synchronized void changed() {
        onChange.accept(this);
    }

    /**
     * Waits (briefly) until the cache holds the version just written, so that this instance reads
     * its own writes: a DescribeAcls right after a CreateAcls answered by the same broker lists the
     * new binding, as Kafka's does. Other instances still see it within moments.
     */
    private void awaitCached(String path, int version) throws InterruptedException {
        long deadline = System.nanoTime() + OWN_WRITE_WAIT.toNanos();
        while (!isCached(path, version) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    private boolean isCached(String path, int version) {
        Optional<ChildData> node = cache.get(path);
        if (version == DELETED) {
            return node.isEmpty();
        }
        return node.isPresent()
                && node.get().getStat() != null
                && node.get().getStat().getVersion() >= version;
    }

    /** Writes {@code next}; returns the znode's new version, or {@link #DELETED} if there is none now. */
    private int write(String path, boolean exists, Stat stat, byte[] next) throws Exception {
        if (!exists) {
            if (next == null) {
                return DELETED;
            }
            curator.create().creatingParentsIfNeeded().forPath(path, next);
            return 0;
        }
        if (next == null && stat.getNumChildren() == 0) {
            curator.delete().withVersion(stat.getVersion()).forPath(path);
            return DELETED;
        }
        return curator.setData()
                .withVersion(stat.getVersion())
                .forPath(path, next == null ? new byte[0] : next)
                .getVersion();
    }

    @Override
    public void close() {
        cache.close();
    }
}
