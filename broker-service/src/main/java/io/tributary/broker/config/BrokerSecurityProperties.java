package io.tributary.broker.config;

import io.tributary.common.security.ListenerSecurity;
import io.tributary.common.security.SslConfig;
import io.tributary.common.security.acl.AuthorizerSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
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
 * @param sasl       the SASL mechanisms and the broker's own SASL user
 * @param authorizer whether ACLs are enforced, and who bypasses them ({@link AuthorizerSettings})
 * @param groupCoordinatorProtocol how the broker's group relay connects to the group-coordinator
 *                 ({@code tributary.group.security.protocol}): PLAINTEXT or SSL, with this
 *                 broker's {@code ssl} truststore (and keystore, for {@code ssl.client.auth})
 */
@ConfigurationProperties("tributary.broker.security")
public record BrokerSecurityProperties(
        @DefaultValue("PLAINTEXT") SecurityProtocol protocol,
        @DefaultValue SslConfig ssl,
        @DefaultValue Sasl sasl,
        @DefaultValue AuthorizerSettings authorizer,
        @DefaultValue("PLAINTEXT") SecurityProtocol groupCoordinatorProtocol) {

    public BrokerSecurityProperties {
        if (groupCoordinatorProtocol != SecurityProtocol.PLAINTEXT
                && groupCoordinatorProtocol != SecurityProtocol.SSL) {
            throw new IllegalArgumentException(
                    "tributary.broker.security.group-coordinator-protocol must be PLAINTEXT or SSL: "
                            + groupCoordinatorProtocol);
        }
    }

    /**
     * @param enabledMechanisms     {@code sasl.enabled.mechanisms}: offered on a SASL listener;
     *                              PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (PLAIN checks the password
     *                              against the user's SCRAM credential)
     * @param interBrokerMechanism  {@code sasl.mechanism.inter.broker.protocol}: what the replica
     *                              fetchers log in with
     * @param interBrokerUser       the broker's own user (Kafka's listener JAAS {@code username}); its
     *                              SCRAM credentials are created at start when missing, so a new
     *                              cluster can bootstrap; list it in {@code super-users}
     * @param interBrokerPassword   its password (Kafka's JAAS {@code password}); pass it through the
     *                              environment or a secrets file, never a committed file
     * @param connectionsMaxReauth  {@code connections.max.reauth.ms} (KIP-368): how long an
     *                              authenticated session lasts; the client re-authenticates on its
     *                              connection before then, and a connection whose session expired
     *                              is closed at its next request. 0 (Kafka's default): no expiry
     */
    public record Sasl(
            @DefaultValue({"SCRAM-SHA-256", "SCRAM-SHA-512"})
            List<String> enabledMechanisms,

            @DefaultValue("SCRAM-SHA-512") String interBrokerMechanism,
            @DefaultValue("") String interBrokerUser,
            @DefaultValue("") String interBrokerPassword,
            @DefaultValue("0") Duration connectionsMaxReauth) {

        public Sasl {
            if (connectionsMaxReauth.isNegative()) {
                throw new IllegalArgumentException(
                        "tributary.broker.security.sasl.connections-max-reauth must not be negative: "
                                + connectionsMaxReauth);
            }
        }
    }

    /** The listener's security, as the protocol server takes it; fails on a TLS listener without a keystore. */
    public ListenerSecurity listener() {
        return new ListenerSecurity(protocol, ssl);
    }

    /** What the replica fetchers connect to other brokers with: the listener's protocol, as a client. */
    public Map<String, Object> interBrokerClientConfigs() {
        Map<String, Object> configs = listener().clientConfigs();
        if (listener().sasl()) {
            configs.put(SaslConfigs.SASL_MECHANISM, sasl.interBrokerMechanism());
            configs.put(
                    SaslConfigs.SASL_JAAS_CONFIG,
                    jaas(sasl.interBrokerMechanism(), sasl.interBrokerUser(), sasl.interBrokerPassword()));
        }
        return configs;
    }

    /** What the group relay connects to the group-coordinator with. */
    public Map<String, Object> groupCoordinatorClientConfigs() {
        Map<String, Object> configs = new HashMap<>();
        configs.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, groupCoordinatorProtocol.name);
        if (groupCoordinatorProtocol == SecurityProtocol.SSL) {
            configs.putAll(ssl.clientConfigs());
        }
        return configs;
    }

    /** A client's {@code sasl.jaas.config} for {@code mechanism}. */
    public static String jaas(String mechanism, String user, String password) {
        String module = mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + escape(user) + "\" password=\"" + escape(password) + "\";";
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
