package io.tributary.spring.autoconfigure.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BrokerRegistrationReaderTest {

    private static BrokerAddress read(String name, String json) {
        return BrokerRegistrationReader.read(name, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadTheAddressAndIgnoreUnknownFields() {
        assertThat(read("3", "{\"id\":3,\"host\":\"b3\",\"kafkaPort\":9094,\"httpPort\":8083,\"new\":[1]}"))
                .isEqualTo(new BrokerAddress(3, "b3", 9094));
    }

    @Test
    void shouldTakeTheIdFromTheZnodeNameWhenTheJsonHasNone() {
        assertThat(read("5", "{\"host\":\"b5\",\"kafkaPort\":9096}")).isEqualTo(new BrokerAddress(5, "b5", 9096));
    }

    @Test
    void shouldRejectRegistrationsWithoutAUsableAddress() {
        assertThat(read("1", "{\"id\":1,\"host\":\"b1\"}")).isNull();
        assertThat(read("1", "{\"id\":1,\"host\":\"b1\",\"kafkaPort\":0}")).isNull();
        assertThat(read("1", "not json")).isNull();
        assertThat(BrokerRegistrationReader.read("1", new byte[0])).isNull();
    }
}
