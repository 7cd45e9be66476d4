package io.tributary.spring.autoconfigure.discovery;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The live brokers of the cluster, kept current by an implementation (ZooKeeper registrations,
 * a Spring Cloud {@code DiscoveryClient}). Implementations are thread-safe: Kafka clients read
 * the list whenever they are created.
 */
public interface BrokerDiscovery {

    /** The brokers registered now, ordered by id; empty when none is. */
    List<BrokerAddress> brokers();

    /** Where the brokers are looked up, for messages ({@code zookeeper localhost:2181/tributary}). */
    String source();

    /** The brokers as a {@code bootstrap.servers} value. */
    default String bootstrapServers() {
        return brokers().stream().map(BrokerAddress::hostPort).collect(Collectors.joining(","));
    }
}
