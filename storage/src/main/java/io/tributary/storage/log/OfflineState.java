package io.tributary.storage.log;

import java.io.File;
import java.io.IOException;
import java.util.function.LongSupplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a partition log has gone offline after an I/O error. The first error is logged once at
 * ERROR with the directory and kept; from then on every call on the log fails fast with a
 * {@link KafkaStorageException} naming it, rather than serve data that may be wrong.
 *
 * <p><b>Invariant:</b> once offline, always offline (until the log is reopened).
 *
 * <p><b>Thread-safety:</b> thread-safe; the first cause wins.
 */
final class OfflineState {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineState.class);

    private final TopicPartition topicPartition;
    private final File dir;
    private final LongSupplier logStartOffset;
    private final LongSupplier logEndOffset;
    private volatile KafkaStorageException cause;

    /** The two suppliers give the offsets that the error message reports. */
    OfflineState(TopicPartition topicPartition, File dir, LongSupplier logStartOffset, LongSupplier logEndOffset) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    boolean isOffline() {
        return cause != null;
    }

    /** @throws KafkaStorageException if the partition is offline */
    void ensureOnline() {
        KafkaStorageException c = cause;
        if (c != null) {
            throw new KafkaStorageException(
                    "Partition " + topicPartition + " in " + dir.getAbsolutePath() + " is offline: " + c.getMessage(),
                    c);
        }
    }

    /**
     * Takes the partition offline because {@code operation} failed with {@code ioError}.
     *
     * @return the exception for the caller to throw
     */
    KafkaStorageException markOffline(String operation, Exception ioError) {
        KafkaStorageException e = new KafkaStorageException(
                "I/O error in " + operation + " of partition "
                        + topicPartition + " in " + dir.getAbsolutePath() + " (log start offset "
                        + logStartOffset.getAsLong() + ", log end offset " + logEndOffset.getAsLong() + "): "
                        + ioError,
                ioError);
        synchronized (this) {
            if (cause == null) {
                cause = e;
                LOG.error(
                        "Taking partition {} offline: I/O error in {} in {} (log end offset {})",
                        topicPartition,
                        operation,
                        dir.getAbsolutePath(),
                        logEndOffset.getAsLong(),
                        ioError);
            }
        }
        return e;
    }

    /**
     * Kafka's record classes wrap an {@link IOException} in a {@link KafkaException}: such an
     * error takes the partition offline; any other is rethrown as it is.
     */
    RuntimeException rethrowIfIo(String operation, KafkaException e) {
        if (e.getCause() instanceof IOException io) {
            throw markOffline(operation, io);
        }
        throw e;
    }
}
