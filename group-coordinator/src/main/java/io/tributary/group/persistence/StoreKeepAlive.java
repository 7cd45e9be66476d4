package io.tributary.group.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store connection warm: every {@code tributary.group.store-keepalive-interval} one
 * pooled connection runs {@code SELECT 1}. A connection broken since its last use is found and
 * replaced here, not by the first load or commit that needs it.
 *
 * <p>Why: with the shared H2 file in automatic mixed mode, one coordinator serves the file to the
 * others over TCP. When that one is killed, a survivor's connections break; H2 reconnects
 * (AUTO_RECONNECT) by opening the file itself. Done at takeover, that reopening sat between the
 * claim of the dead instance's partitions and their first answer. With this query it happens
 * within one interval of the death, while ZooKeeper still waits for the dead instance's session
 * to expire. With PostgreSQL it only finds dead connections early.
 *
 * <p>A failure is logged once, and its end once; so is a query slower than the interval (a
 * reconnection, typically). The service runs {@link #ping} on a thread of its own ({@code
 * store-keepalive}), so that a query that hangs on a broken store holds up nothing else.
 */
public final class StoreKeepAlive {

    private static final Logger log = LoggerFactory.getLogger(StoreKeepAlive.class);

    private final DataSource dataSource;
    private final Duration interval;
    private boolean failing;

    public StoreKeepAlive(DataSource dataSource, Duration interval) {
        this.dataSource = dataSource;
        this.interval = interval;
    }

    /** Runs the query once; true if the store answered. Called on one thread at a time. */
    public boolean ping() {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (failing) {
                failing = false;
                log.info("Group store answers again ({} ms)", ms);
            } else if (ms > interval.toMillis()) {
                // a reconnection (H2 reopening the shared file after its server died) or a stall
                log.info("Group store answered after {} ms", ms);
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("Group store does not answer (checked every {}): {}", interval, e.toString());
            }
            return false;
        }
    }
}
