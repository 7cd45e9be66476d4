package io.tributary.group.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.protocol.ProtocolServerConfig;
import io.tributary.common.protocol.metrics.MicrometerConnectionMetrics;
import io.tributary.common.protocol.metrics.MicrometerRequestMetrics;
import io.tributary.common.security.acl.Authorizer;
import io.tributary.group.config.GroupCoordinatorProperties;
import io.tributary.group.config.GroupSecurityProperties;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.zookeeper.discovery.ZookeeperDiscoveryProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The group-coordinator's Kafka-protocol listener ({@code tributary.group.kafka-host/-port}),
 * serving one handler per group API plus ApiVersions and Envelope, for the brokers that forward
 * group requests here. A broker wraps each client's request in an Envelope (KIP-590), which is
 * unwrapped here so that the handlers see the consumer's own client id and host (member ids,
 * DescribeGroups, logs) rather than the broker's. Started once the context is refreshed and before the service registers in
 * discovery (so a broker never finds an instance that does not listen yet), with the bound port
 * put into the discovery record's {@code kafkaPort} metadata; stopped first on shutdown.
 * Thread-safe.
 */
@Component
public class GroupProtocolServer implements SmartLifecycle {

    /** Discovery metadata key of the Kafka-protocol port. */
    public static final String KAFKA_PORT_METADATA = "kafkaPort";

    private static final Logger log = LoggerFactory.getLogger(GroupProtocolServer.class);

    private final GroupCoordinatorProperties properties;
    private final GroupSecurityProperties security;
    private final List<ApiHandler> handlers;
    private final Authorizer authorizer;
    private final ObjectProvider<ZookeeperDiscoveryProperties> discovery;
    private final ObjectProvider<MeterRegistry> meterRegistry;
    private KafkaProtocolServer server;
    /** The meters of {@link #server}'s connections, removed with it so that a restart binds the new one's. */
    private MicrometerConnectionMetrics connectionMetrics;

    GroupProtocolServer(
            GroupCoordinatorProperties properties,
            GroupSecurityProperties security,
            List<ApiHandler> handlers,
            Authorizer authorizer,
            ObjectProvider<ZookeeperDiscoveryProperties> discovery,
            ObjectProvider<MeterRegistry> meterRegistry) {
        this.properties = properties;
        this.security = security;
        this.handlers = handlers;
        this.authorizer = authorizer;
        this.discovery = discovery;
        this.meterRegistry = meterRegistry;
    }

    @Override
    public synchronized void start() {
        ProtocolServerConfig config = ProtocolServerConfig.of(properties.kafkaHost(), properties.kafkaPort())
                .withIoThreads(properties.kafkaIoThreads())
                .withSecurity(security.listener());
        ApiHandlerRegistry apis = registry(handlers, authorizer);
        KafkaProtocolServer started = new KafkaProtocolServer(config, apis);
        meterRegistry.ifAvailable(meters -> {
            started.requestMetrics(new MicrometerRequestMetrics(meters, apis.apiKeys()));
            connectionMetrics = new MicrometerConnectionMetrics(started.metrics());
            connectionMetrics.bindTo(meters);
        });
        started.start();
        server = started;
        // the registration's payload shares this map and is written when the web server starts
        discovery.ifAvailable(d -> d.getMetadata().put(KAFKA_PORT_METADATA, Integer.toString(started.port())));
        log.info(
                "Group coordinator serves the Kafka protocol on {}:{} ({}, {} APIs, ACLs {})",
                properties.kafkaHost(),
                started.port(),
                security.protocol(),
                started.registry().apiKeys().size(),
                authorizer.enabled() ? "enforced" : "not enforced");
    }

    /** What the listener serves: {@code handlers}, ApiVersions, and Envelope around any of the handlers' APIs. */
    public static ApiHandlerRegistry registry(List<ApiHandler> handlers) {
        return registry(handlers, Authorizer.allowAll());
    }

    /**
     * As {@link #registry(List)}, taking envelopes only from principals with CLUSTER_ACTION on the
     * cluster (the brokers), as Kafka: an envelope names the principal its request is checked as.
     */
    public static ApiHandlerRegistry registry(List<ApiHandler> handlers, Authorizer authorizer) {
        ApiHandlerRegistry.Builder registry = ApiHandlerRegistry.builder();
        handlers.forEach(registry::register);
        return registry.unwrapEnvelopes(envelope -> authorizer.clusterAuthorized(envelope, AclOperation.CLUSTER_ACTION))
                .build();
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (connectionMetrics != null) {
            connectionMetrics.close();
            connectionMetrics = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Before the web server, whose start registers the service in discovery. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /** The bound port; only while running. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("The Kafka-protocol listener is not running");
        }
        return server.port();
    }
}
