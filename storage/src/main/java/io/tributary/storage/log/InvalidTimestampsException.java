package io.tributary.storage.log;

import java.util.List;
import org.apache.kafka.common.errors.InvalidTimestampException;

/** {@code INVALID_TIMESTAMP} for the records it names (see {@link RecordErrors}). */
public final class InvalidTimestampsException extends InvalidTimestampException implements RecordErrors {

    private static final long serialVersionUID = 1L;

    private final transient List<RecordError> recordErrors;

    public InvalidTimestampsException(String message, List<RecordError> recordErrors) {
        super(message);
        this.recordErrors = List.copyOf(recordErrors);
    }

    @Override
    public List<RecordError> recordErrors() {
        return recordErrors;
    }
}
