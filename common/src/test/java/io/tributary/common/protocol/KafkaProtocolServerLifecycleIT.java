package io.tributary.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Server lifecycle on real sockets: ordering across threads, idle timeout, close and restart rules. */
class KafkaProtocolServerLifecycleIT {

    private static final short VERSION = 4;

    private final List<ConnectionInfo> opened = new CopyOnWriteArrayList<>();
    private final List<ConnectionInfo> closed = new CopyOnWriteArrayList<>();
    private KafkaProtocolServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldKeepRequestOrderWhenALaterRequestCompletesFirstOnAnotherThread() throws IOException {
        start(ProtocolServerConfig.of("127.0.0.1", 0));
        try (Socket socket = connect()) {
            // "slow" completes 300 ms later on a timer thread, "fast" at once on the event loop
            write(socket, heartbeat("slow", 1), heartbeat("fast", 2), heartbeat("fast", 3));

            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(List.of(readCorrelationId(in), readCorrelationId(in), readCorrelationId(in)))
                    .containsExactly(1, 2, 3);
        }
    }

    @Test
    void shouldCloseAnIdleConnection() throws Exception {
        start(ProtocolServerConfig.of("127.0.0.1", 0).withConnectionsMaxIdle(Duration.ofMillis(300)));
        try (Socket socket = connect()) {
            long started = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
        awaitClosed(1);
        assertThat(server.metrics().activeConnections()).isZero();
    }

    @Test
    void shouldRefuseAConnectionOverThePerAddressLimitUntilOneCloses() throws Exception {
        start(ProtocolServerConfig.of("127.0.0.1", 0).withConnectionLimits(Integer.MAX_VALUE, 2));
        try (Socket first = connect();
                Socket second = connect()) {
            write(first, heartbeat("fast", 1));
            write(second, heartbeat("fast", 2));
            assertThat(readCorrelationId(new DataInputStream(first.getInputStream())))
                    .isEqualTo(1);
            assertThat(readCorrelationId(new DataInputStream(second.getInputStream())))
                    .isEqualTo(2);
            try (Socket third = connect()) {
                assertThat(third.getInputStream().read()).as("refused at once").isEqualTo(-1);
            }
            assertThat(server.metrics().rejectedConnections()).isEqualTo(1);
        }
        awaitClosed(2);
        try (Socket again = connect()) {
            write(again, heartbeat("fast", 3));
            assertThat(readCorrelationId(new DataInputStream(again.getInputStream())))
                    .isEqualTo(3);
        }
    }

    @Test
    void shouldCloseASlowSenderThatKeepsTrickling() throws Exception {
        start(ProtocolServerConfig.of("127.0.0.1", 0).withConnectionsMaxIdle(Duration.ofMillis(500)));
        try (Socket socket = connect()) {
            ByteBuffer frame = heartbeat("fast", 1);
            long started = System.nanoTime();
            // one byte every 100 ms is never idle for 500 ms, but the frame takes far longer to arrive
            for (int i = 0; i < 12 && frame.remaining() > 1; i++) {
                socket.getOutputStream().write(frame.get());
                socket.getOutputStream().flush();
                Thread.sleep(100);
            }
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } catch (java.net.SocketException e) {
            // the server closed it while we were still trickling: also a close
        }
        assertThat(server.metrics().rejectedConnections()).isEqualTo(1);
    }

    @Test
    void shouldCloseConnectionsAndTellListenersOnClose() throws Exception {
        start(ProtocolServerConfig.of("127.0.0.1", 0));
        try (Socket socket = connect()) {
            write(socket, heartbeat("never", 1));
            awaitOpened();

            server.close();

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(closed).hasSize(1).first().isEqualTo(opened.get(0));
        }
        server.close(); // idempotent
    }

    @Test
    void shouldFailToBindAPortInUseAndStartOnlyOnce() {
        start(ProtocolServerConfig.of("127.0.0.1", 0));
        assertThatThrownBy(() -> server.start()).isInstanceOf(IllegalStateException.class);

        try (KafkaProtocolServer second = new KafkaProtocolServer(
                ProtocolServerConfig.of("127.0.0.1", server.port()),
                ApiHandlerRegistry.builder().build())) {
            assertThatThrownBy(second::start).isInstanceOf(java.io.UncheckedIOException.class);
            assertThatThrownBy(second::port).isInstanceOf(IllegalStateException.class);
        }
    }

    private void start(ProtocolServerConfig config) {
        server = new KafkaProtocolServer(
                config.withIoThreads(1),
                ApiHandlerRegistry.builder()
                        .register(new DelayingHeartbeatHandler())
                        .build());
        server.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionOpened(ConnectionInfo connection) {
                opened.add(connection);
            }

            @Override
            public void connectionClosed(ConnectionInfo connection) {
                closed.add(connection);
            }
        });
        server.start();
    }

    private void awaitOpened() throws InterruptedException {
        for (int i = 0; i < 100 && opened.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertThat(opened).hasSize(1);
    }

    private void awaitClosed(int count) throws InterruptedException {
        for (int i = 0; i < 100 && closed.size() < count; i++) {
            Thread.sleep(20);
        }
        assertThat(closed).hasSize(count);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static ByteBuffer heartbeat(String groupId, int correlationId) {
        return ProtocolTestSupport.frame(
                new HeartbeatRequest.Builder(
                                new HeartbeatRequestData().setGroupId(groupId).setMemberId("m"))
                        .build(VERSION),
                correlationId);
    }

    private static void write(Socket socket, ByteBuffer... frames) throws IOException {
        for (ByteBuffer frame : frames) {
            socket.getOutputStream().write(frame.array(), frame.position(), frame.remaining());
        }
        socket.getOutputStream().flush();
    }

    private static int readCorrelationId(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        ProtocolTestSupport.ResponseFrame response = new ProtocolTestSupport.ResponseFrame(ByteBuffer.wrap(frame));
        response.parse(ApiKeys.HEARTBEAT, VERSION);
        return response.correlationId();
    }

    /** Heartbeat: group "slow" answers late from another thread, "never" never, the rest at once. */
    static final class DelayingHeartbeatHandler implements ApiHandler {
        private static final Executor LATER = CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS);

        @Override
        public ApiKeys apiKey() {
            return ApiKeys.HEARTBEAT;
        }

        @Override
        public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
            HandlerResult ok = HandlerResult.respond(new HeartbeatResponse(new HeartbeatResponseData()));
            return switch (request.body(HeartbeatRequest.class).data().groupId()) {
                case "slow" -> CompletableFuture.supplyAsync(() -> ok, LATER);
                case "never" -> new CompletableFuture<>();
                default -> CompletableFuture.completedFuture(ok);
            };
        }
    }
}
