package io.tributary.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;

class ScramUserConfigTest {

    @Test
    void shouldReadBackTheCredentialsItWroteInKafkasFormat() {
        String credential = ScramPasswordVerifier.credentialString(ScramMechanism.SCRAM_SHA_512, "pw", 4096);

        byte[] bytes = ScramUserConfig.toBytes(Map.of("SCRAM-SHA-512", credential));

        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo("{\"version\":1,\"config\":{\"SCRAM-SHA-512\":\"" + credential + "\"}}");
        assertThat(ScramUserConfig.parse(bytes)).containsExactly(Map.entry("SCRAM-SHA-512", credential));
        assertThat(ScramUserConfig.credential(bytes, ScramMechanism.SCRAM_SHA_512))
                .hasValueSatisfying(c -> assertThat(c.iterations()).isEqualTo(4096));
        assertThat(ScramUserConfig.credential(bytes, ScramMechanism.SCRAM_SHA_256))
                .isEmpty();
    }

    @Test
    void shouldHoldNoCredentialInAnEmptyOrMissingZnode() {
        assertThat(ScramUserConfig.parse(null)).isEmpty();
        assertThat(ScramUserConfig.parse(new byte[0])).isEmpty();
        assertThat(ScramUserConfig.toBytes(Map.of())).isNull();
    }
}
