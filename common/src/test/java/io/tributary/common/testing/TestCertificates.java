package io.tributary.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Real certificates for TLS tests, made with the JDK's own {@code keytool} (one short process per
 * step, EC keys so that generation is quick): a CA with its PKCS12 truststore, and PKCS12
 * keystores of entities it signed for {@code localhost} and {@code 127.0.0.1} (so that Kafka
 * clients' default host name verification passes). Published in common's test-jar.
 *
 * <p>Not thread-safe; one instance per test class, in a temporary directory.
 */
public final class TestCertificates {

    /** The password of every store made here. */
    public static final String PASSWORD = "test-secret";

    private final Path dir;
    private final String caName;

    private TestCertificates(Path dir, String caName) {
        this.dir = dir;
        this.caName = caName;
    }

    /** Creates a CA named {@code caName} in {@code dir} and its truststore ({@link #truststore()}). */
    public static TestCertificates newCa(Path dir, String caName) {
        TestCertificates ca = new TestCertificates(dir, caName);
        ca.keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + caName,
                "-ext",
                "bc:c",
                "-validity",
                "30",
                "-keystore",
                ca.caKeystore().toString());
        ca.keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca.caKeystore().toString(),
                "-file",
                ca.caCertificate().toString());
        ca.keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                ca.caCertificate().toString(),
                "-keystore",
                ca.truststore().toString());
        return ca;
    }

    /** The PKCS12 truststore holding this CA's certificate, password {@link #PASSWORD}. */
    public Path truststore() {
        return dir.resolve(caName + "-truststore.p12");
    }

    /** A client TLS context trusting this CA (for {@code https://} calls to services it signed). */
    public SSLContext sslContext() {
        try (InputStream in = Files.newInputStream(truststore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + truststore(), e);
        }
    }

    /** This CA's certificate, PEM. */
    public Path caCertificate() {
        return dir.resolve(caName + "-ca.pem");
    }

    private Path caKeystore() {
        return dir.resolve(caName + "-ca.p12");
    }

    /**
     * A PKCS12 keystore (password {@link #PASSWORD}) with a key and a certificate for
     * {@code CN=name}, valid for localhost and 127.0.0.1, signed by this CA, chain included.
     */
    public Path keystore(String name) {
        Path keystore = dir.resolve(caName + "-" + name + ".p12");
        Path request = dir.resolve(caName + "-" + name + ".csr");
        Path signed = dir.resolve(caName + "-" + name + ".pem");
        String san = "SAN=dns:localhost,ip:127.0.0.1";
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-validity",
                "30",
                "-keystore",
                keystore.toString());
        keytool("-certreq", "-alias", name, "-keystore", keystore.toString(), "-file", request.toString());
        keytool(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                caKeystore().toString(),
                "-infile",
                request.toString(),
                "-outfile",
                signed.toString(),
                "-rfc",
                "-ext",
                san,
                "-validity",
                "30");
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                caCertificate().toString(),
                "-keystore",
                keystore.toString());
        keytool("-importcert", "-alias", name, "-file", signed.toString(), "-keystore", keystore.toString());
        return keystore;
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        try {
            Files.createDirectories(dir);
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
