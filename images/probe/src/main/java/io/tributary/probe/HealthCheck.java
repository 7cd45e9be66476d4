package io.tributary.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The health-check command of Tributary's container images, whose base has no shell, curl or
 * nc: {@code java -cp '/app/libs/*' io.tributary.probe.HealthCheck TARGET}. It exits 0 when the
 * target is healthy and 1 otherwise, printing one line either way.
 *
 * <ul>
 *   <li>{@code http://host:port/path} or {@code https://…}: healthy when a GET answers 200
 *       (Actuator answers 503 for DOWN or OUT_OF_SERVICE), e.g.
 *       {@code http://localhost:8081/actuator/health/readiness}. For {@code https://} the JDK's
 *       CAs are trusted, or only those of the PEM file that the system property
 *       {@code tributary.probe.ca} names (the cluster's own CA, mounted as a secret).
 *   <li>{@code ruok://host:port}: a ZooKeeper server; healthy when the four-letter word
 *       {@code ruok} is answered {@code imok} (needs {@code ruok} in the 4lw whitelist).
 * </ul>
 *
 * <p>Stateless and single-threaded: one check per JVM, with a connect and read timeout.
 */
public final class HealthCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** The system property naming a PEM file of the CAs to trust for {@code https://} targets. */
    static final String CA_PROPERTY = "tributary.probe.ca";

    private HealthCheck() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Checks {@code args[0]}, prints one line to {@code out} and returns the exit code. */
    static int run(String[] args, PrintStream out) {
        if (args.length != 1) {
            out.println("usage: HealthCheck http://host:port/path | ruok://host:port");
            return 2;
        }
        URI target;
        try {
            target = URI.create(args[0]);
        } catch (IllegalArgumentException e) {
            out.println("unhealthy: not a URI: " + args[0]);
            return 2;
        }
        try {
            String scheme = String.valueOf(target.getScheme());
            String verdict = switch (scheme) {
                case "http", "https" -> http(target);
                case "ruok" -> ruok(target);
                default -> null;
            };
            if (verdict == null) {
                out.println("usage: HealthCheck http://host:port/path | ruok://host:port (not " + scheme + ")");
                return 2;
            }
            out.println(verdict);
            return verdict.startsWith("healthy") ? 0 : 1;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            out.println("unhealthy: " + target + ": " + e);
            return 1;
        }
    }

    private static String http(URI target) throws IOException, GeneralSecurityException {
        HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection();
        String ca = System.getProperty(CA_PROPERTY, "");
        if (connection instanceof HttpsURLConnection https && !ca.isBlank()) {
            https.setSSLSocketFactory(trusting(Path.of(ca)).getSocketFactory());
        }
        connection.setConnectTimeout((int) TIMEOUT.toMillis());
        connection.setReadTimeout((int) TIMEOUT.toMillis());
        try {
            int status = connection.getResponseCode();
            return (status == 200 ? "healthy: " : "unhealthy: ") + target + " answered " + status;
        } finally {
            connection.disconnect();
        }
    }

    /** A TLS context trusting exactly the certificates of the PEM file {@code ca}. */
    private static SSLContext trusting(Path ca) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            int i = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String ruok(URI target) throws IOException {
        int port = target.getPort() < 0 ? 2181 : target.getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.getHost(), port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream request = socket.getOutputStream();
            request.write("ruok".getBytes(StandardCharsets.US_ASCII));
            request.flush();
            InputStream response = socket.getInputStream();
            String answer = new String(response.readNBytes(4), StandardCharsets.US_ASCII);
            return ("imok".equals(answer) ? "healthy: " : "unhealthy: ") + target.getHost() + ":" + port + " answered '"
                    + answer + "'";
        }
    }
}
