package io.tributary.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProducerAcksTest {

    @Test
    void shouldNameAcksAsKafkaDoes() {
        assertThat(ProducerAcks.of(null)).isEqualTo("all");
        assertThat(ProducerAcks.of("-1")).isEqualTo("all");
        assertThat(ProducerAcks.of("all")).isEqualTo("all");
        assertThat(ProducerAcks.of(1)).isEqualTo("1");
        assertThat(ProducerAcks.of("0")).isEqualTo("0");
    }
}
