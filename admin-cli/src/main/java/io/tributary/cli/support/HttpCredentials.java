package io.tributary.cli.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;

/**
 * How the CLI reaches the services' REST APIs securely, from the same Kafka client settings
 * ({@code --command-config}) that serve the Kafka listeners: HTTP Basic with the user name and
 * password of {@code sasl.jaas.config} (PLAIN or SCRAM login module; the HTTP APIs know the same
 * SCRAM users; parsed with kafka-clients' own JAAS parser), and for {@code https://} URLs the CAs
 * of {@code ssl.truststore.*}. Stateless.
 */
final class HttpCredentials {

    private HttpCredentials() {}

    /**
     * A TLS context trusting the CAs of {@code ssl.truststore.location} (PKCS12 or JKS), if set;
     * otherwise the JDK's CAs serve {@code https://} URLs.
     */
    static Optional<SSLContext> sslContext(Properties clientProperties) {
        String location = clientProperties.getProperty(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        String type = clientProperties.getProperty(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "JKS");
        String password = clientProperties.getProperty(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, "");
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.isEmpty() ? null : password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return Optional.of(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException(
                    ExitCodes.USAGE, "Cannot load ssl.truststore.location " + location + " (" + type + "): " + e);
        }
    }

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
