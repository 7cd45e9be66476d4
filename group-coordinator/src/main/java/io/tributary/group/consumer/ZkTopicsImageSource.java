package io.tributary.group.consumer;

import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics from ZooKeeper's {@code /topics/{name}} records ({@link TopicRecord}, written by
 * metadata-service; the same subtree the brokers cache), kept by a Curator cache: a created,
 * deleted or grown topic shows in the next {@link #current()} a few milliseconds after its write.
 * The image is rebuilt on the first read after a change, not on every event ({@link RebuiltOnRead}).
 * Thread-safe.
 */
public final class ZkTopicsImageSource implements TopicsImageSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ZkTopicsImageSource.class);

    /** How long {@link #start()} waits for the cache's first full read of {@code /topics}. */
    private static final Duration INITIAL_LOAD_WAIT = Duration.ofSeconds(15);

    private final CuratorCache cache;
    private final RebuiltOnRead<TopicsImage> image = new RebuiltOnRead<>(this::read, TopicsImage.EMPTY);
    private final CountDownLatch loaded = new CountDownLatch(1);

    public ZkTopicsImageSource(CuratorFramework curator) {
        this.cache = CuratorCache.build(curator, ZkPaths.TOPICS);
        cache.listenable()
                .addListener(CuratorCacheListener.builder()
                        .forAll((type, before, after) -> {
                            if (isTopicNode(after != null ? after : before)) {
                                image.changed();
                            }
                        })
                        .forInitialized(loaded::countDown)
                        .build());
    }

    /**
     * Starts the cache and waits (at most {@link #INITIAL_LOAD_WAIT}) until it holds every topic,
     * so that the first heartbeats do not see a partial image and assign too few partitions.
     */
    public void start() throws InterruptedException {
        cache.start();
        if (!loaded.await(INITIAL_LOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn(
                    "The topics under {} were not all read from ZooKeeper within {} s; going on with what arrives",
                    ZkPaths.TOPICS,
                    INITIAL_LOAD_WAIT.toSeconds());
        }
    }

    @Override
    public TopicsImage current() {
        return image.get();
    }

    private TopicsImage read() {
        Map<String, TopicsImage.Topic> topics = new TreeMap<>();
        cache.stream().filter(ZkTopicsImageSource::isTopicNode).forEach(node -> {
            String name = node.getPath().substring(ZkPaths.TOPICS.length() + 1);
            try {
                TopicRecord record = ZkJson.fromBytes(node.getData(), TopicRecord.class);
                topics.put(name, new TopicsImage.Topic(name, toUuid(record), record.partitionCount()));
            } catch (RuntimeException e) {
                log.warn("Topic {}: unreadable record in ZooKeeper, left out: {}", name, e.getMessage());
            }
        });
        return new TopicsImage(topics);
    }

    private static Uuid toUuid(TopicRecord record) {
        return new Uuid(
                record.topicId().getMostSignificantBits(), record.topicId().getLeastSignificantBits());
    }

    /** {@code /topics/{name}}: one level below {@code /topics}, with data. */
    private static boolean isTopicNode(ChildData node) {
        if (node == null || node.getData() == null || node.getData().length == 0) {
            return false;
        }
        String path = node.getPath();
        return path.startsWith(ZkPaths.TOPICS + "/") && path.indexOf('/', ZkPaths.TOPICS.length() + 1) < 0;
    }

    @Override
    public void close() {
        cache.close();
    }
}
