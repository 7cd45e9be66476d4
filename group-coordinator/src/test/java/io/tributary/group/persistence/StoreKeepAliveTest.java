package io.tributary.group.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/** {@link StoreKeepAlive} against real H2 databases: one that answers, one whose server is gone, on its timer. */
class StoreKeepAliveTest {

    @TempDir
    Path dir;

    @Test
    void shouldFindAStoreThatAnswers() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("groups") + ";WRITE_DELAY=0");

        assertThat(new StoreKeepAlive(h2, Duration.ofSeconds(1)).ping()).isTrue();
    }

    @Test
    void shouldReportAStoreWhoseServerIsGoneWithoutThrowing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        JdbcDataSource gone = new JdbcDataSource();
        gone.setURL("jdbc:h2:tcp://localhost:" + closedPort + "/" + dir.resolve("groups"));

        StoreKeepAlive keepAlive = new StoreKeepAlive(gone, Duration.ofSeconds(1));

        assertThat(keepAlive.ping()).isFalse();
        assertThat(keepAlive.ping()).isFalse();
    }

    @Test
    void shouldQueryTheStoreEveryIntervalUntilStopped() throws Exception {
        AtomicInteger queries = new AtomicInteger();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("groups") + ";WRITE_DELAY=0");
        DataSource counting = new DelegatingDataSource(h2) {
            @Override
            public Connection getConnection() throws SQLException {
                queries.incrementAndGet();
                return super.getConnection();
            }
        };
        StoreKeepAlive keepAlive = new StoreKeepAlive(counting, Duration.ofMillis(50));

        keepAlive.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> queries.get() >= 3);
        } finally {
            keepAlive.stop();
        }
        int stoppedAt = queries.get();
        Thread.sleep(300);
        assertThat(queries.get()).as("queries after stop").isLessThanOrEqualTo(stoppedAt + 1);
    }
}
