package io.tributary.group.consumer;

/** Where the consumer-group coordinator reads the cluster's topics: the latest image, never blocking. */
@FunctionalInterface
public interface TopicsImageSource {

    /** The latest image known; cheap, called on every heartbeat. */
    TopicsImage current();
}
