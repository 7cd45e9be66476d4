package io.tributary.broker.quota;

import java.util.Map;
import java.util.Optional;

/**
 * Every quota set in the cluster, as of one moment: entity → config key → value. Immutable.
 *
 * @param entities the quotas of each entity that has at least one
 */
record QuotaConfigs(Map<QuotaEntity, Map<String, Double>> entities) {

    static final QuotaConfigs EMPTY = new QuotaConfigs(Map.of());

    QuotaConfigs {
        entities = Map.copyOf(entities);
    }

    /** The quota of {@code type} that applies to a request of {@code user} with {@code clientId}. */
    Optional<Quota> quota(QuotaType type, String user, String clientId) {
        if (entities.isEmpty()) {
            return Optional.empty(); // the usual case: no request pays for the lookup
        }
        for (QuotaEntity entity : QuotaEntity.precedence(user, clientId)) {
            Double bound = entities.getOrDefault(entity, Map.of()).get(type.key());
            if (bound != null) {
                return Optional.of(new Quota(entity, entity.sharedBy(user, clientId), bound));
            }
        }
        return Optional.empty();
    }

    /**
     * A quota that applies to a request.
     *
     * @param setOn    the entity the quota is set on
     * @param sharedBy whose requests count against it together (the rate's key)
     * @param bound    the limit: bytes a second, or a percentage of a thread
     */
    record Quota(QuotaEntity setOn, QuotaEntity sharedBy, double bound) {}
}
