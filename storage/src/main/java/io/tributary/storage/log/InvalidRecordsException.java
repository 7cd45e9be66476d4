package io.tributary.storage.log;

import java.util.List;
import org.apache.kafka.common.InvalidRecordException;

/** {@code INVALID_RECORD} for the records it names (see {@link RecordErrors}). */
public final class InvalidRecordsException extends InvalidRecordException implements RecordErrors {

    private static final long serialVersionUID = 1L;

    private final transient List<RecordError> recordErrors;

    public InvalidRecordsException(String message, List<RecordError> recordErrors) {
        super(message);
        this.recordErrors = List.copyOf(recordErrors);
    }

    @Override
    public List<RecordError> recordErrors() {
        return recordErrors;
    }
}
