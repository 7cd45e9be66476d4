package io.tributary.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.security.scram.internals.ScramCredentialUtils;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;

class ScramPasswordVerifierTest {

    @Test
    void shouldAcceptOnlyThePasswordTheCredentialWasSaltedFrom() {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            var credential = ScramCredentialUtils.credentialFromString(
                    ScramPasswordVerifier.credentialString(mechanism, "s3cret", 4096));

            assertThat(ScramPasswordVerifier.matches(mechanism, credential, "s3cret"))
                    .isTrue();
            assertThat(ScramPasswordVerifier.matches(mechanism, credential, "s3cret "))
                    .isFalse();
            assertThat(ScramPasswordVerifier.matches(mechanism, credential, "")).isFalse();
        }
    }
}
