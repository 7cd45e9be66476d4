package io.tributary.storage.log;

import org.apache.kafka.common.KafkaException;

/**
 * A follower append whose batches do not continue the log: the first offset is not the log end
 * offset, or the offsets inside the records do not increase. Nothing was appended; the replica
 * fetcher should truncate or refetch. Maps to UNKNOWN_SERVER_ERROR if it ever reaches a client.
 */
public class UnexpectedAppendOffsetException extends KafkaException {

    private final long firstOffset;
    private final long expectedOffset;

    public UnexpectedAppendOffsetException(String message, long firstOffset, long expectedOffset) {
        super(message);
        this.firstOffset = firstOffset;
        this.expectedOffset = expectedOffset;
    }

    public long firstOffset() {
        return firstOffset;
    }

    public long expectedOffset() {
        return expectedOffset;
    }
}
