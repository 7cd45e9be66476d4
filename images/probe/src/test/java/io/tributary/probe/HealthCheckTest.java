package io.tributary.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldExitZeroWhenActuatorAnswers200() throws IOException {
        int port = serve(200);

        int exit = check("http://127.0.0.1:" + port + "/actuator/health/readiness");

        assertThat(exit).isZero();
        assertThat(printed()).startsWith("healthy: ").contains("answered 200");
    }

    @Test
    void shouldExitOneWhenActuatorAnswers503() throws IOException {
        int port = serve(503);

        int exit = check("http://127.0.0.1:" + port + "/actuator/health/readiness");

        assertThat(exit).isEqualTo(1);
        assertThat(printed()).startsWith("unhealthy: ").contains("answered 503");
    }

    @Test
    void shouldExitOneWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        assertThat(check("http://127.0.0.1:" + port + "/")).isEqualTo(1);
        assertThat(check("ruok://127.0.0.1:" + port)).isEqualTo(1);
    }

    @Test
    void shouldExitZeroOnlyWhenZooKeeperAnswersImok() throws Exception {
        assertThat(check("ruok://127.0.0.1:" + answerOnce("imok"))).isZero();
        assertThat(check("ruok://127.0.0.1:" + answerOnce("nope"))).isEqualTo(1);
    }

    @Test
    void shouldExitTwoOnUsageErrors() {
        assertThat(check()).isEqualTo(2);
        assertThat(check("ftp://127.0.0.1/")).isEqualTo(2);
    }

    private int serve(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    /** A one-shot fake ZooKeeper that reads the four-letter word and answers {@code answer}. */
    private static int answerOnce(String answer) throws IOException {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            try (listener;
                    Socket client = listener.accept()) {
                String word = new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
                client.getOutputStream()
                        .write((word.equals("ruok") ? answer : "????").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // the test's assertion reports what the probe saw
            }
        });
        thread.setDaemon(true);
        thread.start();
        return listener.getLocalPort();
    }

    private int check(String... args) {
        output.reset();
        return HealthCheck.run(args, new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
