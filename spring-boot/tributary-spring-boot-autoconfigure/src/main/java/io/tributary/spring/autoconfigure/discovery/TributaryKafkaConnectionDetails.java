package io.tributary.spring.autoconfigure.discovery;

import java.util.Arrays;
import java.util.List;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;

/**
 * Boot's Kafka connection details backed by discovery: every Kafka client Boot builds (producer,
 * consumer, admin, streams) bootstraps from the brokers that are live when it is created, and
 * {@code spring.kafka.bootstrap-servers} is not used. Thread-safe.
 */
public class TributaryKafkaConnectionDetails implements KafkaConnectionDetails {

    private final BrokerDiscovery discovery;

    public TributaryKafkaConnectionDetails(BrokerDiscovery discovery) {
        this.discovery = discovery;
    }

    @Override
    public List<String> getBootstrapServers() {
        String servers = discovery.bootstrapServers();
        return servers.isEmpty() ? List.of() : Arrays.asList(servers.split(","));
    }
}
