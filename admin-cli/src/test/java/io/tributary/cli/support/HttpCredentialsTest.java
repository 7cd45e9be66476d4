package io.tributary.cli.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpCredentialsTest {

    @Test
    void shouldTakeTheUserAndPasswordOfAScramJaasConfig() {
        Properties props = new Properties();
        props.setProperty(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" "
                        + "password=\"p@ss w=rd\";");

        assertThat(HttpCredentials.basicAuthorization(props))
                .hasValue("Basic "
                        + Base64.getEncoder().encodeToString("admin:p@ss w=rd".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldSendNoCredentialsWithoutAJaasConfig() {
        assertThat(HttpCredentials.basicAuthorization(new Properties())).isEmpty();
    }

    @Test
    void shouldRefuseAJaasConfigThatDoesNotParse() {
        Properties props = new Properties();
        props.setProperty("sasl.jaas.config", "not a jaas config");

        assertThatThrownBy(() -> HttpCredentials.basicAuthorization(props))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("sasl.jaas.config");
    }

    @Test
    void shouldTrustTheTruststoreOfTheClientSettingsAndRefuseOneThatDoesNotLoad(@TempDir Path dir) throws Exception {
        Path truststore = dir.resolve("truststore.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var out = Files.newOutputStream(truststore)) {
            store.store(out, "secret".toCharArray());
        }
        Properties props = new Properties();
        props.setProperty("ssl.truststore.location", truststore.toString());
        props.setProperty("ssl.truststore.type", "PKCS12");
        props.setProperty("ssl.truststore.password", "secret");

        assertThat(HttpCredentials.sslContext(props)).isPresent();
        assertThat(HttpCredentials.sslContext(new Properties())).isEmpty();

        props.setProperty("ssl.truststore.password", "wrong");
        assertThatThrownBy(() -> HttpCredentials.sslContext(props))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("ssl.truststore.location");
    }
}
