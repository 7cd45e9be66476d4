package io.tributary.group.coordinator;

import jakarta.persistence.PersistenceException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * The one mapping from a failure to the Kafka error the client sees. A database failure is
 * {@code COORDINATOR_NOT_AVAILABLE}, which clients retry after looking the coordinator up
 * again; anything unexpected is {@code UNKNOWN_SERVER_ERROR}, logged once with the API.
 */
final class ErrorMapper {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    static Errors toError(String api, Object request, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ApiException apiException) {
            return Errors.forException(apiException);
        }
        if (isStorageFailure(cause)) {
            log.warn("{} failed on the database, answering COORDINATOR_NOT_AVAILABLE: {}", api, cause.toString());
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        log.error("{} failed unexpectedly: {}", api, request, cause);
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static boolean isStorageFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof DataAccessException
                    || t instanceof TransactionException
                    || t instanceof PersistenceException
                    || t instanceof java.sql.SQLException) {
                return true;
            }
        }
        return false;
    }
}
