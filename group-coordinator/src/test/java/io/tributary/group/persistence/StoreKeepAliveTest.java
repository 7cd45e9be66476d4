package io.tributary.group.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreKeepAlive} against real H2 databases: one that answers and one whose server is gone. */
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
}
