package io.tributary.broker.config;

import io.tributary.common.security.ListenerSecurity;
import io.tributary.common.security.SslConfig;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The security of the broker's Kafka listener (Kafka's names in brackets). The broker has one
 * listener, which its followers also fetch through, so its protocol is also the inter-broker one.
 *
 * @param protocol {@code listener.security.protocol.map} of the one listener and
 *                 {@code security.inter.broker.protocol}: PLAINTEXT (the default), SSL,
 *                 SASL_PLAINTEXT or SASL_SSL
 * @param ssl      {@code ssl.keystore.location/password/type}, {@code ssl.key.password},
 *                 {@code ssl.truststore.location/password/type} and {@code ssl.client.auth}:
 *                 the listener's certificate and, for the replica fetchers (clients of the other
 *                 brokers' listeners), the CAs they trust
 */
@ConfigurationProperties("tributary.broker.security")
public record BrokerSecurityProperties(
        @DefaultValue("PLAINTEXT") SecurityProtocol protocol,
        @DefaultValue SslConfig ssl) {

    /** The listener's security, as the protocol server takes it; fails on a TLS listener without a keystore. */
    public ListenerSecurity listener() {
        return new ListenerSecurity(protocol, ssl);
    }
}
