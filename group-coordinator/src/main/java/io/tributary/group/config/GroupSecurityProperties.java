package io.tributary.group.config;

import io.tributary.common.security.ListenerSecurity;
import io.tributary.common.security.SslConfig;
import io.tributary.common.security.acl.AuthorizerSettings;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The security of the group-coordinator's Kafka listener, which only the brokers call (they relay
 * their clients' group requests in Envelopes, with the client's principal inside), and whether it
 * authorizes those principals itself.
 *
 * @param protocol PLAINTEXT (the default) or SSL; with {@code ssl.client-auth=required} only
 *                 holders of a certificate from the truststore's CAs (the brokers) get in. The
 *                 SASL protocols are refused: the users live with the brokers
 * @param ssl      Kafka's {@code ssl.*} settings of the listener
 * @param authorizer whether the coordinator checks ACLs itself on every request (as the brokers
 *                 do before relaying), and who bypasses them; set it as on the brokers, with the
 *                 brokers' own principal (their TLS certificate's, {@code User:CN=...}) among the
 *                 super users: only a principal with CLUSTER_ACTION may forward requests in
 *                 Envelopes or write transaction markers
 */
@ConfigurationProperties("tributary.group.security")
public record GroupSecurityProperties(
        @DefaultValue("PLAINTEXT") SecurityProtocol protocol,
        @DefaultValue SslConfig ssl,
        @DefaultValue AuthorizerSettings authorizer) {

    public GroupSecurityProperties {
        if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
            throw new IllegalArgumentException(
                    "tributary.group.security.protocol must be PLAINTEXT or SSL (the brokers authenticate the clients): "
                            + protocol);
        }
    }

    public ListenerSecurity listener() {
        return new ListenerSecurity(protocol, ssl);
    }
}
