package io.tributary.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthCheckTest {

    private static final String PASSWORD = "probe-secret";

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

    @Test
    void shouldTrustOnlyTheCaOfTheProbePropertyForHttps(@TempDir Path dir) throws Exception {
        Path ca = selfSignedLocalhost(dir);
        int port = serveTls(dir.resolve("server.p12"));
        String url = "https://localhost:" + port + "/actuator/health/readiness";

        assertThat(check(url)).as("the JDK's CAs do not know this one").isEqualTo(1);
        assertThat(printed()).startsWith("unhealthy: ").contains("SSL");

        System.setProperty(HealthCheck.CA_PROPERTY, ca.toString());
        try {
            assertThat(check(url)).as(printed()).isZero();
            assertThat(printed()).startsWith("healthy: ").contains("answered 200");
        } finally {
            System.clearProperty(HealthCheck.CA_PROPERTY);
        }
    }

    /** A self-signed key and certificate for localhost in {@code server.p12}; its certificate as PEM, returned. */
    private static Path selfSignedLocalhost(Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path pem = dir.resolve("ca.pem");
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                keystore.toString());
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(), "-file", pem.toString());
        return pem;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0)
                .as(output)
                .isTrue();
    }

    private int serveTls(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(context));
        server = https;
        return start(200);
    }

    private int serve(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        return start(status);
    }

    private int start(int status) {
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
