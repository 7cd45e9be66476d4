package io.tributary.storage.log;

import java.util.List;

/**
 * An append failure caused by particular records of a batch, which it names: the broker answers
 * them in the Produce response's {@code record_errors} (v8+, KIP-467), and the Java producer fails
 * those records with their message and the rest of the batch with "part of a batch which had one
 * or more invalid records" (Kafka's {@code RecordValidationException}).
 */
public interface RecordErrors {

    List<RecordError> recordErrors();
}
