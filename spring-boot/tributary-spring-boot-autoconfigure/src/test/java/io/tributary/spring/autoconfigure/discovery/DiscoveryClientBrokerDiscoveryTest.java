package io.tributary.spring.autoconfigure.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClient;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;

class DiscoveryClientBrokerDiscoveryTest {

    private final SimpleDiscoveryProperties registry = new SimpleDiscoveryProperties();
    private final DiscoveryClientBrokerDiscovery discovery =
            new DiscoveryClientBrokerDiscovery(new SimpleDiscoveryClient(registry), "broker");

    private void registerBrokers(InstanceProperties... instances) {
        registry.setInstances(Map.of("broker", new ArrayList<>(List.of(instances))));
    }

    private static InstanceProperties instance(String uri, Map<String, String> metadata) {
        InstanceProperties instance = new InstanceProperties();
        instance.setServiceId("broker");
        instance.setUri(URI.create(uri));
        instance.setMetadata(metadata);
        return instance;
    }

    @Test
    void shouldFollowTheRegistryAndKeepTheLastBrokersWhileItKnowsNone() {
        registerBrokers(instance("http://b1:9092", Map.of()));
        discovery.start(Duration.ZERO);
        assertThat(discovery.bootstrapServers()).isEqualTo("b1:9092");

        // environment variables bind map keys in lower case
        registerBrokers(
                instance("http://b1:9092", Map.of()),
                instance("http://b3:8083", Map.of("kafkaport", "9094", "broker-id", "3")));
        assertThat(discovery.bootstrapServers()).isEqualTo("b1:9092,b3:9094");

        registerBrokers();
        assertThat(discovery.brokers()).isEmpty();
        assertThat(discovery.bootstrapServers()).isEqualTo("b1:9092,b3:9094");
    }

    @Test
    void shouldFailToStartNamingTheServiceWhenTheRegistryKnowsNoBroker() {
        assertThatThrownBy(() -> discovery.start(Duration.ofMillis(300)))
                .isInstanceOf(NoBrokersFoundException.class)
                .hasMessageContaining("service 'broker'")
                .hasMessageContaining("PT0.3S");
    }
}
