package io.tributary.broker.admin;

import io.tributary.broker.admin.MetadataServiceBodies.NewTopic;
import io.tributary.broker.admin.MetadataServiceBodies.TopicDescription;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's {@code auto.create.topics.enable}: a Metadata request naming an unknown topic, from a
 * client that allows it, makes the broker create the topic with metadata-service's default
 * partition count and replication factor. The Metadata answer for that topic is
 * {@code LEADER_NOT_AVAILABLE} meanwhile (a retriable error: the client asks again and sees the
 * topic once the ZooKeeper watch has brought it to the broker), never a wait on the event loop.
 *
 * <p>At most one creation per topic is in flight per broker; a topic that another broker created
 * first ({@code TOPIC_ALREADY_EXISTS}) counts as success. Internal ({@code __}-prefixed) and
 * invalid names are never created. Thread-safe.
 */
public class AutoTopicCreator {

    private static final Logger log = LoggerFactory.getLogger(AutoTopicCreator.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final MetadataServiceClient client;
    private final boolean enabled;
    private final Map<String, CompletableFuture<TopicDescription>> inFlight = new ConcurrentHashMap<>();

    public AutoTopicCreator(MetadataServiceClient client, boolean enabled) {
        this.client = client;
        this.enabled = enabled;
    }

    /** Whether {@code auto.create.topics.enable} is on for this broker. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Starts creating {@code topic} if auto-creation is enabled, the client allows it and the name
     * may be created; never blocks.
     *
     * @param allowAutoTopicCreation the Metadata request's flag (always true before v4)
     * @return true when a creation was started or is under way, so the caller answers
     *         {@code LEADER_NOT_AVAILABLE}; false when the caller should answer
     *         {@code UNKNOWN_TOPIC_OR_PARTITION}
     */
    public boolean maybeCreate(String topic, boolean allowAutoTopicCreation) {
        if (!enabled || !allowAutoTopicCreation || topic == null || Topic.isInternal(topic) || topic.startsWith("__")) {
            return false;
        }
        try {
            Topic.validate(topic);
        } catch (RuntimeException e) {
            return false;
        }
        CompletableFuture<TopicDescription> creation = new CompletableFuture<>();
        if (inFlight.putIfAbsent(topic, creation) == null) {
            create(topic, creation);
        }
        return true;
    }

    private void create(String topic, CompletableFuture<TopicDescription> creation) {
        client.createTopic(new NewTopic(topic, -1, -1, null, null, false), TIMEOUT)
                .whenComplete((created, failure) -> {
                    inFlight.remove(topic, creation);
                    if (failure == null) {
                        log.info(
                                "Auto-created topic {} (id {}) with {} partition(s), replication factor {}",
                                topic,
                                created.topicId(),
                                created.partitionCount(),
                                created.replicationFactor());
                        creation.complete(created);
                    } else {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure;
                        if (!(cause instanceof TopicExistsException)) {
                            log.warn("Could not auto-create topic {}: {}", topic, cause.toString());
                        }
                        creation.completeExceptionally(cause);
                    }
                });
    }
}
