package io.tributary.spring.autoconfigure.discovery;

/**
 * One live broker as discovery sees it.
 *
 * @param id   the broker id
 * @param host host name clients connect to
 * @param port port of the broker's Kafka-protocol listener
 */
public record BrokerAddress(int id, String host, int port) {

    /** {@code host:port}, as {@code bootstrap.servers} wants it. */
    public String hostPort() {
        return host + ":" + port;
    }
}
