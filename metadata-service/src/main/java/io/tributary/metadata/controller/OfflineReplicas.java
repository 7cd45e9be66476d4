package io.tributary.metadata.controller;

import io.tributary.common.zk.BrokerRegistration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The replicas that live brokers cannot serve because their log directory is offline, as the
 * brokers' registrations name them. For leader election such a replica counts as if its broker
 * were dead, for that partition only: it leaves the ISR and is never chosen as leader. Immutable.
 */
final class OfflineReplicas {

    private static final OfflineReplicas NONE = new OfflineReplicas(Map.of());

    private final Map<Integer, BrokerRegistration> reporting;

    private OfflineReplicas(Map<Integer, BrokerRegistration> reporting) {
        this.reporting = reporting;
    }

    /** From the live brokers' registrations. */
    static OfflineReplicas of(List<BrokerRegistration> brokers) {
        Map<Integer, BrokerRegistration> reporting = new TreeMap<>();
        for (BrokerRegistration broker : brokers) {
            if (!broker.offlineLogDirs().isEmpty()) {
                reporting.put(broker.id(), broker);
            }
        }
        return reporting.isEmpty() ? NONE : new OfflineReplicas(Map.copyOf(reporting));
    }

    /** The brokers of {@code live} whose replica of the partition is usable. */
    Set<Integer> usable(Set<Integer> live, String topic, int partition) {
        if (reporting.isEmpty()) {
            return live;
        }
        Set<Integer> usable = new HashSet<>(live);
        reporting.values().stream()
                .filter(b -> b.isReplicaOffline(topic, partition))
                .forEach(b -> usable.remove(b.id()));
        return usable;
    }

    /** The offline log directories of each broker that reports some. */
    Map<Integer, List<String>> reports() {
        Map<Integer, List<String>> reports = new TreeMap<>();
        reporting.forEach((id, broker) -> reports.put(id, broker.offlineLogDirs()));
        return reports;
    }

    /** The replicas {@code broker} reports offline, by topic. */
    Map<String, List<Integer>> replicasOf(int broker) {
        BrokerRegistration registration = reporting.get(broker);
        return registration == null ? Map.of() : registration.offlineReplicas();
    }
}
