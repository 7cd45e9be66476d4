package io.tributary.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.protocol.ProtocolServerConfig;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import io.tributary.common.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS listener served to kafka-clients' own SSL channel (through {@link KafkaProtocolClient}),
 * with certificates made by the JDK's keytool: trusted clients are served, clients trusting
 * another CA, plain-text clients and (with {@code ssl.client.auth=required}) clients without a
 * certificate are refused, and a rotated keystore serves the next connection.
 */
class TlsListenerIT {

    @TempDir
    static Path dir;

    private static TestCertificates ca;
    private static TestCertificates foreignCa;
    private static Path serverKeystore;

    private KafkaProtocolServer server;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.newCa(dir, "tributary-ca");
        foreignCa = TestCertificates.newCa(dir, "foreign-ca");
        serverKeystore = ca.keystore("localhost");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldServeAClientThatTrustsTheListenersCa() throws Exception {
        start(SslClientAuth.NONE, serverKeystore);

        assertThat(apiVersions(clientConfigs(ca, null))).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldRefuseAClientThatTrustsAnotherCa() {
        start(SslClientAuth.NONE, serverKeystore);

        assertThatThrownBy(() -> apiVersions(clientConfigs(foreignCa, null)))
                .hasCauseInstanceOf(SslAuthenticationException.class);
    }

    @Test
    void shouldRefuseAPlaintextClient() {
        start(SslClientAuth.NONE, serverKeystore);

        assertThatThrownBy(() -> apiVersions(Map.of())).isInstanceOf(ExecutionException.class);
    }

    @Test
    void shouldRequireAClientCertificateSignedByTheTrustedCaWhenClientAuthIsRequired() throws Exception {
        start(SslClientAuth.REQUIRED, serverKeystore);

        assertThatThrownBy(() -> apiVersions(clientConfigs(ca, null))).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> apiVersions(clientConfigs(ca, foreignCa.keystore("stranger"))))
                .isInstanceOf(ExecutionException.class);
        assertThat(apiVersions(clientConfigs(ca, ca.keystore("client")))).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldServeNewConnectionsWithARotatedKeystore() throws Exception {
        Path rotating = dir.resolve("rotating.p12");
        Files.copy(serverKeystore, rotating, StandardCopyOption.REPLACE_EXISTING);
        start(SslClientAuth.NONE, rotating);
        assertThat(apiVersions(clientConfigs(ca, null))).isEqualTo(Errors.NONE);

        // the new certificate comes from another CA, so only a reloaded listener satisfies its clients
        Files.copy(foreignCa.keystore("localhost"), rotating, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(rotating, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(apiVersions(clientConfigs(foreignCa, null))).isEqualTo(Errors.NONE);
        assertThatThrownBy(() -> apiVersions(clientConfigs(ca, null)))
                .hasCauseInstanceOf(SslAuthenticationException.class);
    }

    private void start(SslClientAuth clientAuth, Path keystore) {
        SslConfig ssl = new SslConfig(
                keystore.toString(),
                TestCertificates.PASSWORD,
                "PKCS12",
                "",
                ca.truststore().toString(),
                TestCertificates.PASSWORD,
                "PKCS12",
                clientAuth);
        server = new KafkaProtocolServer(
                ProtocolServerConfig.of("127.0.0.1", 0)
                        .withIoThreads(1)
                        .withSecurity(new ListenerSecurity(SecurityProtocol.SSL, ssl)),
                ApiHandlerRegistry.builder().build());
        server.start();
    }

    private static Map<String, Object> clientConfigs(TestCertificates trusted, Path keystore) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        configs.put(
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trusted.truststore().toString());
        configs.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        if (keystore != null) {
            configs.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keystore.toString());
            configs.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        }
        return configs;
    }

    private Errors apiVersions(Map<String, Object> configs) throws Exception {
        try (KafkaProtocolClient client = new KafkaProtocolClient("tls-it", Duration.ofSeconds(5), configs)) {
            AbstractResponse response = client.send(
                            new Node(1, "localhost", server.port()),
                            new ApiVersionsRequest.Builder(
                                    new ApiVersionsRequestData()
                                            .setClientSoftwareName("tls-it")
                                            .setClientSoftwareVersion("1.0"),
                                    (short) 0,
                                    (short) 4))
                    .get(10, TimeUnit.SECONDS);
            return Errors.forCode(((ApiVersionsResponse) response).data().errorCode());
        }
    }
}
