package io.tributary.common.security;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.SslConfigs;

/**
 * Key and trust material of one TLS endpoint, with Kafka's {@code ssl.*} names and meanings.
 * Services bind it from their {@code @ConfigurationProperties} and hand it to the server side
 * ({@link TlsContextSource}) and to their kafka-clients based clients ({@link #clientConfigs()}).
 *
 * <p>Store types are Kafka's: {@code PKCS12} (the default), {@code JKS}, or {@code PEM}, where the
 * keystore file holds the private key and its certificate chain and the truststore file the CA
 * certificates. Immutable.
 *
 * @param keystoreLocation   {@code ssl.keystore.location}: this endpoint's key and certificate;
 *                           required on a server, optional on a client (only for mutual TLS)
 * @param keystorePassword   {@code ssl.keystore.password}; unused for an unencrypted PEM key
 * @param keystoreType       {@code ssl.keystore.type}: PKCS12, JKS or PEM
 * @param keyPassword        {@code ssl.key.password}: the private key's own password, when it
 *                           differs from the keystore's; empty means the keystore password
 * @param truststoreLocation {@code ssl.truststore.location}: the CAs whose certificates are trusted;
 *                           empty uses the JDK's default CAs
 * @param truststorePassword {@code ssl.truststore.password}
 * @param truststoreType     {@code ssl.truststore.type}: PKCS12, JKS or PEM
 * @param clientAuth         {@code ssl.client.auth}: whether a server asks clients for a certificate
 */
public record SslConfig(
        String keystoreLocation,
        String keystorePassword,
        String keystoreType,
        String keyPassword,
        String truststoreLocation,
        String truststorePassword,
        String truststoreType,
        SslClientAuth clientAuth) {

    public static final String DEFAULT_STORE_TYPE = "PKCS12";

    public SslConfig {
        keystoreLocation = Objects.requireNonNullElse(keystoreLocation, "");
        keystorePassword = Objects.requireNonNullElse(keystorePassword, "");
        keystoreType = storeType(keystoreType);
        keyPassword = Objects.requireNonNullElse(keyPassword, "");
        truststoreLocation = Objects.requireNonNullElse(truststoreLocation, "");
        truststorePassword = Objects.requireNonNullElse(truststorePassword, "");
        truststoreType = storeType(truststoreType);
        clientAuth = Objects.requireNonNullElse(clientAuth, SslClientAuth.NONE);
    }

    /** Nothing configured: PKCS12 types, no stores, no client authentication. */
    public static SslConfig none() {
        return new SslConfig(null, null, null, null, null, null, null, null);
    }

    private static String storeType(String type) {
        String upper = type == null || type.isBlank() ? DEFAULT_STORE_TYPE : type.toUpperCase(Locale.ROOT);
        if (!upper.equals("PKCS12") && !upper.equals("JKS") && !upper.equals("PEM")) {
            throw new IllegalArgumentException("SSL store type must be PKCS12, JKS or PEM: " + type);
        }
        return upper;
    }

    public boolean hasKeystore() {
        return !keystoreLocation.isBlank();
    }

    public boolean hasTruststore() {
        return !truststoreLocation.isBlank();
    }

    /** The private key's password: {@code ssl.key.password}, else the keystore's. */
    public String effectiveKeyPassword() {
        return keyPassword.isEmpty() ? keystorePassword : keyPassword;
    }

    /**
     * kafka-clients' {@code ssl.*} configs for a client of a peer using this material: the
     * truststore to verify the peer, and the keystore too so that a peer requiring client
     * certificates accepts us. {@code security.protocol} is the caller's to add.
     */
    public Map<String, Object> clientConfigs() {
        Map<String, Object> configs = new HashMap<>();
        if (hasTruststore()) {
            configs.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststoreLocation);
            configs.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, truststoreType);
            if (!truststorePassword.isEmpty()) {
                configs.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, truststorePassword);
            }
        }
        if (hasKeystore()) {
            configs.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keystoreLocation);
            configs.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, keystoreType);
            if (!keystorePassword.isEmpty()) {
                configs.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, keystorePassword);
            }
            if (!keyPassword.isEmpty()) {
                configs.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, keyPassword);
            }
        }
        return configs;
    }

    @Override
    public String toString() {
        // never print passwords
        return "SslConfig[keystore=" + keystoreLocation + " (" + keystoreType + "), truststore=" + truststoreLocation
                + " (" + truststoreType + "), clientAuth=" + clientAuth + "]";
    }
}
