package io.tributary.common.security;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The security of one Kafka listener: Kafka's security protocol (PLAINTEXT, SSL, SASL_PLAINTEXT,
 * SASL_SSL) and, for the TLS ones, its key material. Immutable.
 *
 * @param protocol the listener's security protocol
 * @param ssl      the TLS material; ignored by the non-TLS protocols
 */
public record ListenerSecurity(SecurityProtocol protocol, SslConfig ssl) {

    public ListenerSecurity {
        Objects.requireNonNull(protocol, "protocol");
        ssl = Objects.requireNonNullElseGet(ssl, SslConfig::none);
        if (usesTls(protocol) && !ssl.hasKeystore()) {
            throw new IllegalArgumentException(
                    "A " + protocol + " listener needs ssl.keystore.location (its certificate and key)");
        }
    }

    /** The default: no TLS, no authentication. */
    public static ListenerSecurity plaintext() {
        return new ListenerSecurity(SecurityProtocol.PLAINTEXT, SslConfig.none());
    }

    public boolean tls() {
        return usesTls(protocol);
    }

    public boolean sasl() {
        return protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
    }

    private static boolean usesTls(SecurityProtocol protocol) {
        return protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
    }

    /**
     * kafka-clients configs for a service's own client of a listener secured like this one (a
     * follower fetching from its leader): {@code security.protocol} and the {@code ssl.*} keys.
     */
    public Map<String, Object> clientConfigs() {
        Map<String, Object> configs = new HashMap<>();
        configs.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name);
        if (tls()) {
            configs.putAll(ssl.clientConfigs());
        }
        return configs;
    }
}
