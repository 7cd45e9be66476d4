package io.tributary.cli.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;

/**
 * The HTTP Basic credentials the CLI sends to the services' REST APIs: the user name and password
 * of the Kafka client settings' {@code sasl.jaas.config} (PLAIN or SCRAM login module), so one
 * {@code --command-config} file serves both the Kafka listeners and the HTTP APIs, which know the
 * same SCRAM users. Parsed with kafka-clients' own JAAS parser. Stateless.
 */
final class HttpCredentials {

    private HttpCredentials() {}

    /** The {@code Authorization} header value, if the properties carry a user name and password. */
    static Optional<String> basicAuthorization(Properties clientProperties) {
        String jaas = clientProperties.getProperty(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas == null || jaas.isBlank()) {
            return Optional.empty();
        }
        JaasContext context;
        try {
            context = JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG, new Password(jaas)));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "Invalid sasl.jaas.config in --command-config: " + e.getMessage());
        }
        for (AppConfigurationEntry entry : context.configurationEntries()) {
            Object user = entry.getOptions().get("username");
            Object password = entry.getOptions().get("password");
            if (user != null && password != null) {
                String token = user + ":" + password;
                return Optional.of(
                        "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return Optional.empty();
    }
}
