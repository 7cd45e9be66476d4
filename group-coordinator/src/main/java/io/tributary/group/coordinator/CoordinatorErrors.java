package io.tributary.group.coordinator;

import io.tributary.common.protocol.ErrorMapper;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * The coordinator's use of the one {@link ErrorMapper}, with what it knows of its own failures: a
 * database failure is {@code COORDINATOR_NOT_AVAILABLE}, which clients retry after looking the
 * coordinator up again (logged at WARN); anything else that is no Kafka exception is
 * {@code UNKNOWN_SERVER_ERROR}, logged once at ERROR with the API and the request. Stateless.
 */
final class CoordinatorErrors {

    private static final ErrorMapper MAPPER = new ErrorMapper(CoordinatorErrors::databaseFailure);

    private CoordinatorErrors() {}

    /** The error the client sees for {@code failure} of {@code api} on {@code request}. */
    static Errors toError(String api, Object request, Throwable failure) {
        return MAPPER.errorOf(api + " " + request, failure);
    }

    private static Errors databaseFailure(Throwable cause) {
        return isStorageFailure(cause) ? Errors.COORDINATOR_NOT_AVAILABLE : null;
    }

    private static boolean isStorageFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof DataAccessException
                    || t instanceof TransactionException
                    || t instanceof PersistenceException
                    || t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }
}
