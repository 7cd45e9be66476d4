package io.tributary.spring.autoconfigure;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything a Spring Boot application says about the Tributary cluster it uses, under
 * {@code tributary.*}. Kafka client settings stay where Boot keeps them ({@code spring.kafka.*});
 * these keys only add what plain Kafka support lacks. The per-topic declarations
 * {@code tributary.topics.<name>.*} are read by {@code TopicDeclarations}, beside this record,
 * because their keys are the topic names.
 *
 * @param discovery how the application finds the brokers
 * @param topics    defaults and policy for the topics declared in properties
 * @param health    the readiness health contributor
 * @param metrics   consumer lag, producer acknowledgement latency and listener meters
 */
@ConfigurationProperties("tributary")
public record TributaryProperties(
        @DefaultValue Discovery discovery,
        @DefaultValue Topics topics,
        @DefaultValue Health health,
        @DefaultValue Metrics metrics) {

    /**
     * Broker discovery: through the brokers' own registrations in ZooKeeper, or through the
     * application's Spring Cloud {@code DiscoveryClient}.
     *
     * @param serviceId  the service whose instances are the brokers in the application's Spring
     *                   Cloud {@code DiscoveryClient}; setting it (where there is one) turns
     *                   discovery on; {@code zookeeper.connect-string} wins when both are set
     * @param brokerWait how long startup waits for at least one broker before it fails; zero
     *                   fails at once when none is found
     * @param zookeeper  discovery through the brokers' own registrations in ZooKeeper
     */
    public record Discovery(
            String serviceId,
            @DefaultValue("10s") Duration brokerWait,
            @DefaultValue Zookeeper zookeeper) {}

    /**
     * Where the cluster's ZooKeeper is.
     *
     * @param connectString     ZooKeeper connect string, {@code host:port[,host:port…]}; setting it
     *                          turns discovery on and replaces {@code spring.kafka.bootstrap-servers}
     * @param chroot            the path under which the cluster keeps its znodes
     * @param sessionTimeout    ZooKeeper session timeout of the discovery client
     * @param connectionTimeout how long startup waits for the first ZooKeeper connection
     */
    public record Zookeeper(
            String connectString,
            @DefaultValue("/tributary") String chroot,
            @DefaultValue("15s") Duration sessionTimeout,
            @DefaultValue("10s") Duration connectionTimeout) {

        /** The chroot as a Curator namespace (no leading or trailing slash). */
        public String namespace() {
            return chroot.replaceAll("^/+|/+$", "");
        }
    }

    /**
     * Topics declared as {@code tributary.topics.<name>.partitions}, {@code .replication-factor}
     * and {@code .configs.<key>}; these keys are the ones that are not topic names.
     *
     * @param defaults    what a declared topic gets for each setting it leaves out
     * @param driftPolicy what startup does when a declared topic differs from the cluster's
     * @param create      whether startup creates declared topics that are missing
     * @param timeout     how long each admin call at startup and from the endpoint may take
     */
    public record Topics(
            @DefaultValue TopicDefaults defaults,
            @DefaultValue("report") DriftPolicy driftPolicy,
            @DefaultValue("true") boolean create,
            @DefaultValue("30s") Duration timeout) {}

    /**
     * Settings every declared topic starts from.
     *
     * @param partitions        number of partitions
     * @param replicationFactor number of replicas of each partition
     * @param configs           topic configs ({@code min.insync.replicas}, {@code retention.ms}, …)
     */
    public record TopicDefaults(
            @DefaultValue("1") int partitions,
            @DefaultValue("1") short replicationFactor,
            Map<String, String> configs) {

        public TopicDefaults {
            configs = configs == null ? Map.of() : Map.copyOf(configs);
        }
    }

    /** What startup does with a drift report. */
    public enum DriftPolicy {
        /** Log the report and start. */
        REPORT,
        /** Fail startup when any declared topic is not in sync. */
        FAIL,
        /** Raise partition counts and set configs, then log what is left (never shrinks). */
        RECONCILE_SAFE
    }

    /**
     * The {@code tributary} health contributor (readiness group).
     *
     * @param enabled  whether the contributor is registered
     * @param timeout  how long one check may wait for the cluster before it reports DOWN
     * @param interval how often the cached state is refreshed in the background
     */
    public record Health(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("3s") Duration timeout,
            @DefaultValue("10s") Duration interval) {}

    /**
     * The client meters (registered only where Micrometer and a {@code MeterRegistry} are).
     *
     * @param enabled     whether the meters are registered
     * @param lagInterval how often the consumer lag of the application's groups is read from the
     *                    cluster in the background; each read may take at most this long
     */
    public record Metrics(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("30s") Duration lagInterval) {}
}
