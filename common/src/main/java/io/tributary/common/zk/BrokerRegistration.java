package io.tributary.common.zk;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Content of the ephemeral {@code /brokers/ids/{id}} znode: where a live broker can be reached,
 * and which of its replicas it cannot serve because their log directory went offline (a full or
 * failed disk). The controller treats such a replica as it treats one on a dead broker: it leaves
 * the ISR and loses leadership. A restarted broker registers anew without them.
 *
 * @param id              the broker id (also the znode name)
 * @param host            host name clients connect to
 * @param kafkaPort       port of the Kafka-protocol listener
 * @param httpPort        port of the HTTP (Actuator) server
 * @param rack            rack id, or {@code null} when racks are not used
 * @param startedAt       epoch millis when the broker registered
 * @param offlineLogDirs  the broker's log directories that are offline (empty when none; absent in
 *                        what older brokers wrote)
 * @param offlineReplicas the partitions, by topic name, whose replica here is in an offline
 *                        directory
 */
public record BrokerRegistration(
        int id,
        String host,
        int kafkaPort,
        int httpPort,
        String rack,
        long startedAt,
        List<String> offlineLogDirs,
        Map<String, List<Integer>> offlineReplicas) {

    public BrokerRegistration {
        offlineLogDirs = offlineLogDirs == null ? List.of() : List.copyOf(offlineLogDirs);
        offlineReplicas = offlineReplicas == null ? Map.of() : copySorted(offlineReplicas);
    }

    /** A registration with every log directory online. */
    public BrokerRegistration(int id, String host, int kafkaPort, int httpPort, String rack, long startedAt) {
        this(id, host, kafkaPort, httpPort, rack, startedAt, List.of(), Map.of());
    }

    /** This registration naming {@code dirs} offline with {@code replicas} in them. */
    public BrokerRegistration withOffline(List<String> dirs, Map<String, List<Integer>> replicas) {
        return new BrokerRegistration(id, host, kafkaPort, httpPort, rack, startedAt, dirs, replicas);
    }

    /** True when this broker's replica of {@code topic}-{@code partition} is in an offline directory. */
    public boolean isReplicaOffline(String topic, int partition) {
        List<Integer> partitions = offlineReplicas.get(topic);
        return partitions != null && partitions.contains(partition);
    }

    private static Map<String, List<Integer>> copySorted(Map<String, List<Integer>> replicas) {
        // sorted so that the same offline set always serialises to the same bytes
        Map<String, List<Integer>> sorted = new TreeMap<>();
        replicas.forEach((topic, partitions) ->
                sorted.put(topic, partitions.stream().sorted().toList()));
        return Collections.unmodifiableMap(sorted);
    }
}
