package io.tributary.spring.autoconfigure.discovery;

import java.util.Arrays;
import java.util.List;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/**
 * Boot's Kafka connection details backed by discovery: every Kafka client Boot builds (producer,
 * consumer, admin, streams) bootstraps from the brokers that are live when it is created, and
 * {@code spring.kafka.bootstrap-servers} is not used.
 *
 * <p>Everything else about the connection stays the application's {@code spring.kafka.*}: the
 * security protocol and the SSL bundle ({@code spring.kafka.ssl.bundle}, or per client
 * {@code spring.kafka.consumer.ssl.bundle} ...) are answered as Boot's own properties-based
 * details answer them. Without that, Boot would apply no bundle at all once these details
 * replace its own, and a client of a TLS listener configured with a bundle would not trust it.
 * ({@code spring.kafka.ssl.trust-store-location}, {@code spring.kafka.properties.sasl.*} and the
 * rest reach the clients through Boot's {@code build*Properties()}, which these details do not
 * touch.) Thread-safe.
 */
public class TributaryKafkaConnectionDetails implements KafkaConnectionDetails {

    private final BrokerDiscovery discovery;
    private final KafkaProperties properties;
    private final SslBundles sslBundles;

    /** Details with no security settings of their own (plain Boot defaults). */
    public TributaryKafkaConnectionDetails(BrokerDiscovery discovery) {
        this(discovery, new KafkaProperties(), null);
    }

    /**
     * @param properties the application's {@code spring.kafka.*}
     * @param sslBundles Boot's SSL bundles, or {@code null} when the context has none
     */
    public TributaryKafkaConnectionDetails(
            BrokerDiscovery discovery, KafkaProperties properties, SslBundles sslBundles) {
        this.discovery = discovery;
        this.properties = properties;
        this.sslBundles = sslBundles;
    }

    @Override
    public List<String> getBootstrapServers() {
        String servers = discovery.bootstrapServers();
        return servers.isEmpty() ? List.of() : Arrays.asList(servers.split(","));
    }

    @Override
    public SslBundle getSslBundle() {
        return bundle(properties.getSsl());
    }

    @Override
    public String getSecurityProtocol() {
        return properties.getSecurity().getProtocol();
    }

    @Override
    public Configuration getConsumer() {
        return client(
                properties.getConsumer().getSsl(), properties.getConsumer().getSecurity());
    }

    @Override
    public Configuration getProducer() {
        return client(
                properties.getProducer().getSsl(), properties.getProducer().getSecurity());
    }

    @Override
    public Configuration getAdmin() {
        return client(properties.getAdmin().getSsl(), properties.getAdmin().getSecurity());
    }

    @Override
    public Configuration getStreams() {
        return client(properties.getStreams().getSsl(), properties.getStreams().getSecurity());
    }

    /** One client's settings: its own bundle and protocol where set, else the shared ones. */
    private Configuration client(KafkaProperties.Ssl ssl, KafkaProperties.Security security) {
        SslBundle bundle = bundle(ssl);
        String protocol = security.getProtocol();
        return Configuration.of(
                getBootstrapServers(),
                bundle != null ? bundle : getSslBundle(),
                StringUtils.hasLength(protocol) ? protocol : getSecurityProtocol());
    }

    private SslBundle bundle(KafkaProperties.Ssl ssl) {
        if (!StringUtils.hasLength(ssl.getBundle())) {
            return null;
        }
        if (sslBundles == null) {
            throw new IllegalStateException(
                    "SSL bundle " + ssl.getBundle() + " is configured for Kafka, but the context has no SSL bundles");
        }
        return sslBundles.getBundle(ssl.getBundle());
    }
}
