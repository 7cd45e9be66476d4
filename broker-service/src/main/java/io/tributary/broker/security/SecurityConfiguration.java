package io.tributary.broker.security;

import io.tributary.broker.config.BrokerSecurityProperties;
import java.security.NoSuchAlgorithmException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The credential store and the SASL mechanisms of the broker's listener. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    /** Kafka's default iterations for a SCRAM credential (and its minimum). */
    static final int DEFAULT_ITERATIONS = 4096;

    @Bean(destroyMethod = "close")
    ScramCredentialStore scramCredentialStore(CuratorFramework curator, BrokerSecurityProperties security)
            throws Exception {
        ScramCredentialStore store = new ScramCredentialStore(curator);
        String user = security.sasl().interBrokerUser();
        if (security.listener().sasl() && !user.isBlank()) {
            bootstrapUser(store, user, security.sasl().interBrokerPassword());
        }
        return store;
    }

    @Bean
    CredentialSaslMechanisms saslMechanisms(BrokerSecurityProperties security, ScramCredentialStore store) {
        return new CredentialSaslMechanisms(
                security.sasl().enabledMechanisms(), store, security.sasl().connectionsMaxReauth());
    }

    /** Creates the broker's own SCRAM credentials when they are missing (a new cluster). */
    private static void bootstrapUser(ScramCredentialStore store, String user, String password) throws Exception {
        if (password.isEmpty()) {
            throw new IllegalArgumentException("tributary.broker.security.sasl.inter-broker-password is empty");
        }
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            if (store.credentialFromZookeeper(user, mechanism).isEmpty()) {
                store.upsert(user, mechanism, generate(mechanism, password));
                log.info("Created the {} credential of the inter-broker user {}", mechanism.mechanismName(), user);
            }
        }
    }

    static org.apache.kafka.common.security.scram.ScramCredential generate(ScramMechanism mechanism, String password)
            throws NoSuchAlgorithmException {
        return new ScramFormatter(mechanism).generateCredential(password, DEFAULT_ITERATIONS);
    }
}
