package io.tributary.broker.quota;

import static io.tributary.broker.quota.QuotaEntity.DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaConfigsTest {

    /** Kafka's order, most specific first; each entity sets a producer_byte_rate equal to its rank. */
    private static final List<QuotaEntity> ORDER = List.of(
            new QuotaEntity("alice", "app"),
            new QuotaEntity("alice", DEFAULT),
            new QuotaEntity("alice", null),
            new QuotaEntity(DEFAULT, "app"),
            new QuotaEntity(DEFAULT, DEFAULT),
            new QuotaEntity(DEFAULT, null),
            new QuotaEntity(null, "app"),
            new QuotaEntity(null, DEFAULT));

    @Test
    void shouldApplyTheMostSpecificQuotaInKafkasOrder() {
        for (int rank = 0; rank < ORDER.size(); rank++) {
            Map<QuotaEntity, Map<String, Double>> entities = new LinkedHashMap<>();
            for (int i = rank; i < ORDER.size(); i++) {
                entities.put(ORDER.get(i), Map.of("producer_byte_rate", (double) i));
            }
            QuotaConfigs.Quota quota = new QuotaConfigs(entities)
                    .quota(QuotaType.PRODUCE, "alice", "app")
                    .orElseThrow();
            assertThat(quota.setOn()).isEqualTo(ORDER.get(rank));
            assertThat(quota.bound()).isEqualTo(rank);
        }
    }

    @Test
    void shouldLookForEachQuotaKeyOnItsOwn() {
        QuotaConfigs configs = new QuotaConfigs(Map.of(
                new QuotaEntity("alice", null), Map.of("producer_byte_rate", 100.0),
                new QuotaEntity(null, DEFAULT), Map.of("consumer_byte_rate", 200.0)));

        assertThat(configs.quota(QuotaType.PRODUCE, "alice", "app")
                        .orElseThrow()
                        .setOn())
                .isEqualTo(new QuotaEntity("alice", null));
        assertThat(configs.quota(QuotaType.FETCH, "alice", "app").orElseThrow().setOn())
                .isEqualTo(new QuotaEntity(null, DEFAULT));
        assertThat(configs.quota(QuotaType.REQUEST, "alice", "app")).isEmpty();
        assertThat(configs.quota(QuotaType.PRODUCE, "bob", "app")).isEmpty();
    }

    @Test
    void shouldShareAQuotaAmongAllOfAnEntitysRequestsButGiveEachDefaultedNameItsOwn() {
        QuotaConfigs configs = new QuotaConfigs(Map.of(
                new QuotaEntity("alice", null), Map.of("producer_byte_rate", 100.0),
                new QuotaEntity(null, DEFAULT), Map.of("producer_byte_rate", 50.0)));

        // every client id of alice shares alice's rate
        assertThat(configs.quota(QuotaType.PRODUCE, "alice", "one")
                        .orElseThrow()
                        .sharedBy())
                .isEqualTo(new QuotaEntity("alice", ""));
        assertThat(configs.quota(QuotaType.PRODUCE, "alice", "two")
                        .orElseThrow()
                        .sharedBy())
                .isEqualTo(new QuotaEntity("alice", ""));
        // each client id has a default quota of its own, whoever the user
        assertThat(configs.quota(QuotaType.PRODUCE, "bob", "one").orElseThrow().sharedBy())
                .isEqualTo(new QuotaEntity("", "one"));
    }
}
