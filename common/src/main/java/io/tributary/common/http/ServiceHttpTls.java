package io.tributary.common.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The scheme and TLS context of a service's calls to the other services' HTTP endpoints: plain
 * {@code http://}, or {@code https://} trusting the CAs of the SSL bundle that
 * {@code tributary.http.client.ssl-bundle} names. Every service of a cluster serves HTTPS or none
 * does, so one setting decides for every peer. The context is taken from the bundle once, at
 * start: a renewed server certificate from the same CA needs nothing, a new CA a restart.
 * Immutable and thread-safe.
 */
public final class ServiceHttpTls {

    private static final ServiceHttpTls PLAIN = new ServiceHttpTls(Optional.empty());

    private final Optional<SSLContext> sslContext;

    private ServiceHttpTls(Optional<SSLContext> sslContext) {
        this.sslContext = sslContext;
    }

    /** Plain {@code http://}. */
    public static ServiceHttpTls plain() {
        return PLAIN;
    }

    /** {@code https://} with {@code context}'s trust. */
    public static ServiceHttpTls trusting(SSLContext context) {
        return new ServiceHttpTls(Optional.of(context));
    }

    /** As {@code properties} say: plain, or trusting the named bundle (which must exist). */
    public static ServiceHttpTls of(HttpClientProperties properties, SslBundles bundles) {
        if (properties.sslBundle().isBlank()) {
            return PLAIN;
        }
        SslBundle bundle = bundles.getBundle(properties.sslBundle());
        return trusting(bundle.createSslContext());
    }

    /** {@code https} or {@code http}. */
    public String scheme() {
        return sslContext.isPresent() ? "https" : "http";
    }

    /** {@code scheme://host:port}, no trailing slash, so that absolute paths resolve against it. */
    public URI base(String host, int port) {
        return URI.create(scheme() + "://" + host + ":" + port);
    }

    /** Sets the TLS context on {@code builder}, if there is one; returns it. */
    public HttpClient.Builder configure(HttpClient.Builder builder) {
        sslContext.ifPresent(builder::sslContext);
        return builder;
    }
}
