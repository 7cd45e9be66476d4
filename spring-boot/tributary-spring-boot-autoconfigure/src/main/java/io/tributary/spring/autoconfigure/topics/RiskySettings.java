package io.tributary.spring.autoconfigure.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings that work today and fail badly on the next broker failure, found at startup; each
 * finding is one sentence for a WARN line. Pure functions over what the application declares and
 * what the cluster reports.
 */
final class RiskySettings {

    private static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    private RiskySettings() {}

    /** Declared topics whose replication factor is above the live broker count. */
    static List<String> replicationAboveLiveBrokers(List<DeclaredTopic> declared, int liveBrokers) {
        List<String> warnings = new ArrayList<>();
        for (DeclaredTopic topic : declared) {
            if (topic.replicationFactor() > liveBrokers) {
                warnings.add("Declared topic " + topic.name() + " has replication factor "
                        + topic.replicationFactor() + " but only " + liveBrokers
                        + " broker(s) are live: it cannot be created, and stays under-replicated if it exists,"
                        + " until more brokers join");
            }
        }
        return warnings;
    }

    /**
     * With {@code acks=all}, declared topics whose {@code min.insync.replicas} equals their
     * replication factor: every replica must be in sync, so one broker down stops every write.
     * The values are the cluster's where the topic exists, else the declaration's. A topic of
     * one replica is left out: it has no failure to tolerate whatever the settings.
     */
    static List<String> minInsyncEqualsReplication(
            List<DeclaredTopic> declared, Map<String, ActualTopic> actual, String acks) {
        List<String> warnings = new ArrayList<>();
        if (!"all".equals(acks)) {
            return warnings;
        }
        for (DeclaredTopic topic : declared) {
            ActualTopic existing = actual.get(topic.name());
            int replicationFactor = existing != null ? existing.replicationFactor() : topic.replicationFactor();
            String minInsync = existing != null
                    ? existing.configs()
                            .getOrDefault(MIN_INSYNC_REPLICAS, topic.configs().get(MIN_INSYNC_REPLICAS))
                    : topic.configs().get(MIN_INSYNC_REPLICAS);
            if (replicationFactor > 1 && String.valueOf(replicationFactor).equals(minInsync)) {
                warnings.add("Producers use acks=all and topic " + topic.name() + " has min.insync.replicas="
                        + minInsync + ", its replication factor: one broker down stops every write to it"
                        + " (NOT_ENOUGH_REPLICAS); keep min.insync.replicas below the replication factor");
            }
        }
        return warnings;
    }
}
