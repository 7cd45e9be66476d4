package io.tributary.spring.autoconfigure.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Discovery through Spring Cloud's {@link DiscoveryClient}: the brokers are the instances of one
 * service ({@code tributary.discovery.service-id}) in whatever registry the application uses
 * (Spring Cloud Zookeeper, Consul, Eureka, Kubernetes, or a fixed list). An instance's Kafka port
 * is its {@code kafkaPort} metadata entry when it has one (a registry that registers the HTTP
 * port), else the instance's port; its broker id is its {@code broker-id} metadata entry, else its
 * position. The registry is asked every time a client is created, so the list follows what the
 * registry knows; while it knows none, the last brokers it knew are used (clients retry them).
 *
 * <p>{@link #start} waits up to {@code broker-wait} for a first instance and throws
 * {@link NoBrokersFoundException} otherwise. Thread-safe as the {@code DiscoveryClient} is.
 */
public class DiscoveryClientBrokerDiscovery implements BrokerDiscovery {

    static final String KAFKA_PORT = "kafkaPort";
    static final String BROKER_ID = "broker-id";
    private static final Logger log = LoggerFactory.getLogger(DiscoveryClientBrokerDiscovery.class);
    private static final long POLL_MILLIS = 200;

    private final DiscoveryClient client;
    private final String serviceId;
    private volatile String lastKnown = "";

    public DiscoveryClientBrokerDiscovery(DiscoveryClient client, String serviceId) {
        this.client = client;
        this.serviceId = serviceId;
    }

    /** Waits for the registry to know at least one instance of the service. */
    public void start(Duration brokerWait) {
        long deadline = System.nanoTime() + brokerWait.toNanos();
        while (brokers().isEmpty()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new NoBrokersFoundException(source(), brokerWait, null);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NoBrokersFoundException(source(), Duration.ZERO, e);
            }
        }
        log.info("Discovered {} Tributary broker(s) in {}: {}", brokers().size(), source(), bootstrapServers());
    }

    @Override
    public List<BrokerAddress> brokers() {
        List<ServiceInstance> instances = client.getInstances(serviceId);
        List<BrokerAddress> brokers = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            ServiceInstance instance = instances.get(i);
            Map<String, String> metadata = instance.getMetadata() == null ? Map.of() : instance.getMetadata();
            brokers.add(new BrokerAddress(
                    number(metadata, BROKER_ID, i + 1),
                    instance.getHost(),
                    number(metadata, KAFKA_PORT, instance.getPort())));
        }
        brokers.sort(Comparator.comparingInt(BrokerAddress::id));
        return brokers;
    }

    /** A metadata entry as a number, matched without case (environment variables lower-case map keys). */
    private static int number(Map<String, String> metadata, String key, int fallback) {
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(key)) {
                try {
                    return Integer.parseInt(entry.getValue().trim());
                } catch (NumberFormatException e) {
                    return fallback;
                }
            }
        }
        return fallback;
    }

    @Override
    public String bootstrapServers() {
        String live = BrokerDiscovery.super.bootstrapServers();
        if (live.isEmpty()) {
            return lastKnown;
        }
        lastKnown = live;
        return live;
    }

    @Override
    public String source() {
        return "Spring Cloud discovery service '" + serviceId + "' (" + client.description() + ")";
    }
}
