package io.tributary.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tributary.common.testing.TestCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;

class ServiceHttpTlsTest {

    private HttpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldCallPlainHttpWithoutABundle() {
        ServiceHttpTls tls = ServiceHttpTls.of(new HttpClientProperties(""), new DefaultSslBundleRegistry());

        assertThat(tls.scheme()).isEqualTo("http");
        assertThat(tls.base("meta-1", 8090)).hasToString("http://meta-1:8090");
    }

    @Test
    void shouldCallHttpsTrustingTheNamedBundlesCa(@TempDir Path dir) throws Exception {
        TestCertificates ca = TestCertificates.newCa(dir, "service-ca");
        int port = serveTls(ca);
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
        bundles.registerBundle(
                "http",
                SslBundle.of(new JksSslStoreBundle(
                        null,
                        new JksSslStoreDetails("PKCS12", null, "file:" + ca.truststore(), TestCertificates.PASSWORD))));

        ServiceHttpTls tls = ServiceHttpTls.of(new HttpClientProperties("http"), bundles);

        URI health = tls.base("localhost", port).resolve("/actuator/health");
        assertThat(health).hasToString("https://localhost:" + port + "/actuator/health");
        HttpClient trusting = tls.configure(HttpClient.newBuilder()).build();
        assertThat(trusting.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(200);
        // the JDK's own CAs do not know the cluster's
        HttpClient jdkDefaults = HttpClient.newHttpClient();
        assertThatThrownBy(() -> jdkDefaults.send(
                        HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    private int serveTls(TestCertificates ca) throws Exception {
        SslBundle serverBundle = SslBundle.of(new JksSslStoreBundle(
                new JksSslStoreDetails("PKCS12", null, "file:" + ca.keystore("localhost"), TestCertificates.PASSWORD),
                null));
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverBundle.createSslContext()));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }
}
