package io.tributary.storage.log;

import java.util.List;
import org.apache.kafka.common.InvalidRecordException;

/**
 * An append refused ({@code INVALID_RECORD}) because of particular records of a batch, which it
 * names: the broker answers them in the Produce response's {@code record_errors} (v8+, KIP-467),
 * and the Java producer fails those records with this message and the rest of the batch with
 * "part of a batch which had one or more invalid records", as against Kafka's
 * {@code RecordValidationException}.
 */
public final class InvalidRecordsException extends InvalidRecordException {

    private static final long serialVersionUID = 1L;

    /**
     * One refused record.
     *
     * @param batchIndex the record's position in its batch, from 0
     * @param message    why it was refused
     */
    public record RecordError(int batchIndex, String message) {}

    private final transient List<RecordError> recordErrors;

    public InvalidRecordsException(String message, List<RecordError> recordErrors) {
        super(message);
        this.recordErrors = List.copyOf(recordErrors);
    }

    public List<RecordError> recordErrors() {
        return recordErrors;
    }
}
