package io.tributary.cli.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.Test;

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
}
