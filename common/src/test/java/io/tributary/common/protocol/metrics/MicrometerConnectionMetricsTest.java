package io.tributary.common.protocol.metrics;

import static io.tributary.common.protocol.metrics.MicrometerConnectionMetrics.CONNECTION_COUNT;
import static io.tributary.common.protocol.metrics.MicrometerConnectionMetrics.CONNECTION_CREATION;
import static io.tributary.common.protocol.metrics.MicrometerConnectionMetrics.CONNECTION_REJECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.protocol.ProtocolServerConfig;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters over a real server on a loopback port, moved by raw sockets. */
class MicrometerConnectionMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final KafkaProtocolServer server = new KafkaProtocolServer(
            ProtocolServerConfig.of("127.0.0.1", 0).withIoThreads(1).withMaxRequestBytes(1024),
            ApiHandlerRegistry.builder().build());

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void shouldCountConnectionsOpenedClosedAndRejected() throws IOException {
        new MicrometerConnectionMetrics(server.metrics()).bindTo(registry);
        server.start();
        assertMeters(0, 0, 0);

        try (Socket first = connect();
                Socket second = connect()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertMeters(2, 2, 0));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertMeters(0, 2, 0));

        try (Socket hostile = connect()) {
            // a size prefix beyond socket.request.max.bytes: the server closes the connection
            hostile.getOutputStream()
                    .write(ByteBuffer.allocate(4).putInt(1 << 20).array());
            assertThat(hostile.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertMeters(0, 3, 1));
    }

    @Test
    void shouldRemoveTheMetersOnCloseSoThatAnotherServerCanBind() throws IOException {
        try (KafkaProtocolServer previous = new KafkaProtocolServer(
                ProtocolServerConfig.of("127.0.0.1", 0),
                ApiHandlerRegistry.builder().build())) {
            MicrometerConnectionMetrics first = new MicrometerConnectionMetrics(previous.metrics());
            first.bindTo(registry);
            first.close();
        }
        assertThat(registry.getMeters()).isEmpty();

        // a restarted service binds its new server's counters: the old meters must not shadow them
        new MicrometerConnectionMetrics(server.metrics()).bindTo(registry);
        server.start();
        try (Socket socket = connect()) {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(
                                    registry.get(CONNECTION_COUNT).gauge().value())
                            .isEqualTo(1));
        }
    }

    private void assertMeters(int open, long created, long rejected) {
        assertThat(registry.get(CONNECTION_COUNT).gauge().value()).as("open").isEqualTo(open);
        assertThat(registry.get(CONNECTION_CREATION).functionCounter().count())
                .as("created")
                .isEqualTo(created);
        assertThat(registry.get(CONNECTION_REJECTED).functionCounter().count())
                .as("rejected")
                .isEqualTo(rejected);
    }

    private Socket connect() throws IOException {
        return new Socket("127.0.0.1", server.port());
    }
}
