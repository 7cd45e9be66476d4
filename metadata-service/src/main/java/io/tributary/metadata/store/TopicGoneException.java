package io.tributary.metadata.store;

/** A write under a topic's znode found the topic deleted. */
public class TopicGoneException extends RuntimeException {

    public TopicGoneException(String path) {
        super("Topic of " + path + " was deleted", null, false, false);
    }
}
