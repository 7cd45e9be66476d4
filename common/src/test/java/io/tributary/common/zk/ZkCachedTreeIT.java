package io.tributary.common.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.common.testing.ZookeeperExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cached subtree and its compare-and-set updates, on a real ZooKeeper. */
class ZkCachedTreeIT {

    @RegisterExtension
    static final ZookeeperExtension ZOOKEEPER = new ZookeeperExtension();

    private static final String ROOT = "/tree";

    CuratorFramework curator;
    ZkCachedTree tree;
    final AtomicInteger changes = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        curator = CuratorFrameworkFactory.newClient(ZOOKEEPER.connectString(), new RetryOneTime(100));
        curator.start();
        if (curator.checkExists().forPath(ROOT) != null) {
            curator.delete().deletingChildrenIfNeeded().forPath(ROOT);
        }
        tree = new ZkCachedTree(curator, ROOT, t -> changes.incrementAndGet());
    }

    @AfterEach
    void stop() {
        tree.close();
        curator.close();
    }

    @Test
    void shouldCreateChangeAndDeleteAZnodeAndSeeEachChangeInTheCache() throws Exception {
        tree.update(ROOT + "/a", current -> bytes("one"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> tree.node(ROOT + "/a")
                        .map(data -> new String(data.getData(), StandardCharsets.UTF_8))
                        .filter("one"::equals)
                        .isPresent());

        tree.update(ROOT + "/a", current -> bytes(new String(current, StandardCharsets.UTF_8) + "+two"));
        assertThat(tree.read(ROOT + "/a"))
                .hasValueSatisfying(data -> assertThat(data).isEqualTo(bytes("one+two")));

        tree.update(ROOT + "/a", current -> null);
        assertThat(tree.read(ROOT + "/a")).isEmpty();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> tree.node(ROOT + "/a").isEmpty());
        assertThat(changes.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void shouldHoldItsOwnWriteInTheCacheAndInWhatIsDerivedFromItWhenUpdateReturns() throws Exception {
        AtomicReference<String> derived = new AtomicReference<>();
        try (ZkCachedTree own = new ZkCachedTree(
                curator,
                ROOT,
                t -> derived.set(t.node(ROOT + "/own")
                        .map(data -> new String(data.getData(), StandardCharsets.UTF_8))
                        .orElse("none")))) {
            for (int i = 0; i < 20; i++) {
                String value = "v" + i;
                own.update(ROOT + "/own", current -> bytes(value));
                // no waiting: the same instance reads its write at once (a DescribeAcls after a CreateAcls)
                assertThat(derived.get()).isEqualTo(value);
            }
            own.update(ROOT + "/own", current -> null);
            assertThat(derived.get()).isEqualTo("none");
        }
    }

    @Test
    void shouldNeitherCreateNothingNorDeleteAZnodeWithChildren() throws Exception {
        tree.update(ROOT + "/none", current -> null);
        assertThat(tree.read(ROOT + "/none")).isEmpty();

        tree.update(ROOT + "/parent/child", current -> bytes("c"));
        tree.update(ROOT + "/parent", current -> null);
        // a parent of other znodes is emptied, not deleted
        assertThat(tree.read(ROOT + "/parent"))
                .hasValueSatisfying(data -> assertThat(data).isEmpty());
        assertThat(tree.read(ROOT + "/parent/child")).isPresent();
    }

    @Test
    void shouldApplyTheChangeAgainOnWhatAnotherWriterLeft() throws Exception {
        tree.update(ROOT + "/counter", current -> bytes("0"));
        AtomicInteger calls = new AtomicInteger();

        tree.update(ROOT + "/counter", current -> {
            if (calls.getAndIncrement() == 0) {
                // another writer gets in between this read and this write
                try {
                    curator.setData().forPath(ROOT + "/counter", bytes("10"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return bytes(Integer.toString(Integer.parseInt(new String(current, StandardCharsets.UTF_8)) + 1));
        });

        assertThat(calls.get()).isEqualTo(2);
        assertThat(tree.read(ROOT + "/counter"))
                .hasValueSatisfying(data -> assertThat(data).isEqualTo(bytes("11")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
