package io.tributary.common.zk;

/**
 * Content of the ephemeral {@code /brokers/ids/{id}} znode: where a live broker can be reached.
 *
 * @param id        the broker id (also the znode name)
 * @param host      host name clients connect to
 * @param kafkaPort port of the Kafka-protocol listener
 * @param httpPort  port of the HTTP (Actuator) server
 * @param rack      rack id, or {@code null} when racks are not used
 * @param startedAt epoch millis when the broker registered
 */
public record BrokerRegistration(int id, String host, int kafkaPort, int httpPort, String rack, long startedAt) {}
