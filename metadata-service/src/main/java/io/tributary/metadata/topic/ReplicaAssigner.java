package io.tributary.metadata.topic;

import io.tributary.common.zk.BrokerRegistration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;

/**
 * Kafka's replica assignment (AdminUtils / {@code StripedReplicaPlacer} in ZooKeeper-era
 * Kafka): partitions' first replicas go round-robin over the brokers from a random start, and
 * each further replica is shifted by an amount that grows every full round, so leaders and
 * followers both spread evenly. When every broker has a rack, the broker list alternates racks
 * and a partition's replicas go to distinct racks first (rack-aware mode); otherwise racks are
 * ignored. Thread-safe if the random generator is.
 */
public final class ReplicaAssigner {

    private final RandomGenerator random;

    public ReplicaAssigner(RandomGenerator random) {
        this.random = random;
    }

    /**
     * Assigns {@code partitions} new partitions numbered from {@code firstPartition}.
     *
     * @param brokers           the live brokers
     * @param replicationFactor replicas per partition, at most the number of brokers
     * @param fixedStartIndex   index of the first partition's leader in the (arranged) broker
     *                          list, or -1 for a random start
     * @return partition number to replicas, preferred leader first
     */
    public Map<Integer, List<Integer>> assign(
            List<BrokerRegistration> brokers,
            int partitions,
            int replicationFactor,
            int fixedStartIndex,
            int firstPartition) {
        if (replicationFactor > brokers.size()) {
            throw new InvalidReplicationFactorException("Replication factor: " + replicationFactor
                    + " larger than available brokers: " + brokers.size() + ".");
        }
        boolean rackAware = !brokers.isEmpty()
                && brokers.stream().allMatch(b -> b.rack() != null && !b.rack().isBlank());
        return rackAware
                ? assignRackAware(brokers, partitions, replicationFactor, fixedStartIndex, firstPartition)
                : assignRackUnaware(brokers, partitions, replicationFactor, fixedStartIndex, firstPartition);
    }

    private Map<Integer, List<Integer>> assignRackUnaware(
            List<BrokerRegistration> brokers,
            int partitions,
            int replicationFactor,
            int fixedStartIndex,
            int firstPartition) {
        List<Integer> ids =
                brokers.stream().map(BrokerRegistration::id).sorted().toList();
        int n = ids.size();
        int startIndex = fixedStartIndex >= 0 ? fixedStartIndex : random.nextInt(n);
        int nextReplicaShift = fixedStartIndex >= 0 ? fixedStartIndex : random.nextInt(n);
        Map<Integer, List<Integer>> result = new LinkedHashMap<>();
        int partition = Math.max(0, firstPartition);
        for (int i = 0; i < partitions; i++, partition++) {
            if (partition > 0 && partition % n == 0) {
                nextReplicaShift++;
            }
            int first = (partition + startIndex) % n;
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            replicas.add(ids.get(first));
            for (int j = 0; j < replicationFactor - 1; j++) {
                replicas.add(ids.get(replicaIndex(first, nextReplicaShift, j, n)));
            }
            result.put(partition, List.copyOf(replicas));
        }
        return result;
    }

    private Map<Integer, List<Integer>> assignRackAware(
            List<BrokerRegistration> brokers,
            int partitions,
            int replicationFactor,
            int fixedStartIndex,
            int firstPartition) {
        Map<Integer, String> rackOf = new TreeMap<>();
        brokers.forEach(b -> rackOf.put(b.id(), b.rack()));
        List<Integer> arranged = rackAlternated(rackOf);
        int numRacks = new HashSet<>(rackOf.values()).size();
        int n = arranged.size();
        int startIndex = fixedStartIndex >= 0 ? fixedStartIndex : random.nextInt(n);
        int nextReplicaShift = fixedStartIndex >= 0 ? fixedStartIndex : random.nextInt(n);
        Map<Integer, List<Integer>> result = new LinkedHashMap<>();
        int partition = Math.max(0, firstPartition);
        for (int i = 0; i < partitions; i++, partition++) {
            if (partition > 0 && partition % n == 0) {
                nextReplicaShift++;
            }
            int first = (partition + startIndex) % n;
            int leader = arranged.get(first);
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            replicas.add(leader);
            Set<String> racksWithReplicas = new HashSet<>(Set.of(rackOf.get(leader)));
            Set<Integer> brokersWithReplicas = new HashSet<>(Set.of(leader));
            int k = 0;
            for (int j = 0; j < replicationFactor - 1; j++) {
                while (true) {
                    int broker = arranged.get(replicaIndex(first, nextReplicaShift * numRacks, k, n));
                    String rack = rackOf.get(broker);
                    k++;
                    // skip a broker whose rack already has a replica while some rack has none, and a
                    // broker that already has a replica while some broker has none
                    if ((!racksWithReplicas.contains(rack) || racksWithReplicas.size() == numRacks)
                            && (!brokersWithReplicas.contains(broker) || brokersWithReplicas.size() == n)) {
                        replicas.add(broker);
                        racksWithReplicas.add(rack);
                        brokersWithReplicas.add(broker);
                        break;
                    }
                }
            }
            result.put(partition, List.copyOf(replicas));
        }
        return result;
    }

    private static int replicaIndex(int firstReplicaIndex, int secondReplicaShift, int replicaIndex, int brokers) {
        int shift = 1 + (secondReplicaShift + replicaIndex) % (brokers - 1);
        return (firstReplicaIndex + shift) % brokers;
    }

    /** Brokers ordered so that consecutive ones are on different racks: a1, b1, c1, a2, b2, … */
    static List<Integer> rackAlternated(Map<Integer, String> rackOf) {
        Map<String, Iterator<Integer>> byRack = new TreeMap<>();
        Map<String, List<Integer>> lists = new TreeMap<>();
        rackOf.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> lists.computeIfAbsent(e.getValue(), r -> new ArrayList<>())
                        .add(e.getKey()));
        lists.forEach((rack, ids) ->
                byRack.put(rack, ids.stream().sorted(Comparator.naturalOrder()).iterator()));
        List<String> racks = new ArrayList<>(byRack.keySet());
        List<Integer> result = new ArrayList<>(rackOf.size());
        int rackIndex = 0;
        while (result.size() < rackOf.size()) {
            Iterator<Integer> it = byRack.get(racks.get(rackIndex));
            if (it.hasNext()) {
                result.add(it.next());
            }
            rackIndex = (rackIndex + 1) % racks.size();
        }
        return result;
    }
}
