package io.tributary.group.persistence;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells Hikari to throw away a connection whose embedded H2 database has closed itself. H2 closes
 * the database after a write it cannot complete (a full disk: "The database has been closed",
 * 90098), and every pooled connection then fails for ever; Hikari only evicts on network-style
 * SQL states. A new connection opens the file again, so commits work once space is back without
 * a restart. Set as {@code spring.datasource.hikari.exception-override-class-name}; harmless with
 * PostgreSQL, which never reports these codes. Stateless and thread-safe.
 */
public final class ClosedDatabaseEviction implements SQLExceptionOverride {

    /** H2's {@code ErrorCode.DATABASE_IS_CLOSED}. */
    static final int DATABASE_IS_CLOSED = 90098;
    /** H2's {@code ErrorCode.DATABASE_CALLED_AT_SHUTDOWN}. */
    static final int DATABASE_CALLED_AT_SHUTDOWN = 90121;

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        int code = e.getErrorCode();
        return code == DATABASE_IS_CLOSED || code == DATABASE_CALLED_AT_SHUTDOWN
                ? Override.MUST_EVICT
                : Override.CONTINUE_EVICT;
    }
}
