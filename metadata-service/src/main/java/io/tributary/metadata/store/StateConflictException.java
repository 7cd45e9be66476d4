package io.tributary.metadata.store;

/**
 * A partition-state compare-and-set lost a race (someone else, such as the leader broker
 * changing the ISR, wrote first): the caller re-reads the state and decides again.
 */
public class StateConflictException extends RuntimeException {

    public StateConflictException(String path) {
        super("Partition state " + path + " changed concurrently", null, false, false);
    }
}
