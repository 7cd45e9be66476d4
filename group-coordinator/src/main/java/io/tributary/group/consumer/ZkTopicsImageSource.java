package io.tributary.group.consumer;

import io.tributary.common.zk.TopicRecord;
import io.tributary.common.zk.ZkJson;
import io.tributary.common.zk.ZkPaths;
import java.util.Map;
import java.util.TreeMap;
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
 * The image is rebuilt on the first read after a change, not on every event. Thread-safe.
 */
public final class ZkTopicsImageSource implements TopicsImageSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ZkTopicsImageSource.class);

    private final CuratorCache cache;
    private volatile boolean stale = true;
    private volatile TopicsImage image = TopicsImage.EMPTY;

    public ZkTopicsImageSource(CuratorFramework curator) {
        this.cache = CuratorCache.build(curator, ZkPaths.TOPICS);
        cache.listenable()
                .addListener(CuratorCacheListener.builder()
                        .forAll((type, before, after) -> {
                            if (isTopicNode(after != null ? after : before)) {
                                stale = true;
                            }
                        })
                        .build());
    }

    public void start() {
        cache.start();
    }

    @Override
    public TopicsImage current() {
        if (stale) {
            synchronized (this) {
                if (stale) {
                    stale = false;
                    image = read();
                }
            }
        }
        return image;
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
