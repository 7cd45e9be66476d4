package io.tributary.common.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-side TLS context of a listener, rebuilt when its keystore or truststore file
 * changes so that certificates can be rotated without a restart: every new connection asks
 * {@link #current()}, which compares the files' modification times with those of the loaded
 * context (two {@code stat}s per accepted connection) and reloads on a change. Connections
 * already open keep the context they were accepted with, as in Kafka.
 *
 * <p>A store that fails to load at construction is a configuration error (thrown); one that
 * fails on reload (a half-written file, a wrong new password) is logged once per change and the
 * previous context stays in use.
 *
 * <p>Thread-safe: {@link #current()} is synchronized; it runs once per accepted connection.
 */
public final class TlsContextSource {

    private static final Logger LOG = LoggerFactory.getLogger(TlsContextSource.class);

    private final SslConfig config;
    private SslContext context;
    private Stamp loaded;
    private Stamp failed;

    /** Modification times of the two stores; {@code -1} for a store not configured. */
    private record Stamp(long keystore, long truststore) {}

    /**
     * @throws IllegalArgumentException if the stores cannot be loaded (missing file, wrong
     *                                  password, unknown type)
     */
    public TlsContextSource(SslConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        if (!config.hasKeystore()) {
            throw new IllegalArgumentException("A TLS listener needs ssl.keystore.location");
        }
        this.loaded = stamp();
        try {
            this.context = build(config);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("Cannot load the TLS key material of " + config + ": " + e, e);
        }
    }

    /** The context for a new connection, reloaded first if a store file changed. */
    public synchronized SslContext current() {
        Stamp now = stamp();
        if (!now.equals(loaded) && !now.equals(failed)) {
            try {
                context = build(config);
                loaded = now;
                failed = null;
                LOG.info("Reloaded TLS key material from {}", config);
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                failed = now;
                LOG.warn("Keeping the previous TLS key material: reloading {} failed: {}", config, e.toString());
            }
        }
        return context;
    }

    private Stamp stamp() {
        return new Stamp(modified(config.keystoreLocation()), modified(config.truststoreLocation()));
    }

    private static long modified(String location) {
        if (location.isBlank()) {
            return -1;
        }
        try {
            return Files.getLastModifiedTime(Path.of(location)).toMillis();
        } catch (IOException e) {
            return -2; // missing for now (being replaced): a later stat sees the new file
        }
    }

    /** Builds a server context with the JDK's TLS provider from the configured stores. */
    static SslContext build(SslConfig config) throws GeneralSecurityException, IOException {
        SslContextBuilder builder;
        if (config.keystoreType().equals("PEM")) {
            File pem = new File(config.keystoreLocation());
            String password = config.effectiveKeyPassword();
            builder = SslContextBuilder.forServer(pem, pem, password.isEmpty() ? null : password);
        } else {
            KeyStore keyStore = load(config.keystoreLocation(), config.keystoreType(), config.keystorePassword());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, config.effectiveKeyPassword().toCharArray());
            builder = SslContextBuilder.forServer(keys);
        }
        if (config.hasTruststore()) {
            if (config.truststoreType().equals("PEM")) {
                builder.trustManager(new File(config.truststoreLocation()));
            } else {
                KeyStore trustStore =
                        load(config.truststoreLocation(), config.truststoreType(), config.truststorePassword());
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trustStore);
                builder.trustManager(trust);
            }
        }
        builder.clientAuth(
                switch (config.clientAuth()) {
                    case NONE -> ClientAuth.NONE;
                    case REQUESTED -> ClientAuth.OPTIONAL;
                    case REQUIRED -> ClientAuth.REQUIRE;
                });
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static KeyStore load(String location, String type, String password)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password.isEmpty() ? null : password.toCharArray());
        }
        return store;
    }
}
