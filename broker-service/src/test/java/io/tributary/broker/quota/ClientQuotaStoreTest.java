package io.tributary.broker.quota;

import static io.tributary.broker.quota.QuotaEntity.DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientQuotaStoreTest {

    @Test
    void shouldMapEveryKindOfEntityToItsZnodeAndBack() {
        for (QuotaEntity entity : List.of(
                new QuotaEntity("alice", null),
                new QuotaEntity("CN=alice,O=acme/eu", "app 1"),
                new QuotaEntity(DEFAULT, null),
                new QuotaEntity("alice", DEFAULT),
                new QuotaEntity(DEFAULT, DEFAULT),
                new QuotaEntity(null, "app/2"),
                new QuotaEntity(null, DEFAULT))) {
            assertThat(ClientQuotaStore.entity(ClientQuotaStore.path(entity))).isEqualTo(entity);
        }
    }

    @Test
    void shouldUseKafkasLayoutWithDefaultsNamedLiterally() {
        assertThat(ClientQuotaStore.path(new QuotaEntity("a/b", DEFAULT)))
                .isEqualTo("/quotas/users/a%2Fb/clients/<default>");
        assertThat(ClientQuotaStore.path(new QuotaEntity(null, "app"))).isEqualTo("/quotas/clients/app");
    }

    @Test
    void shouldTakeTheIntermediateZnodesForNoEntity() {
        assertThat(ClientQuotaStore.entity("/quotas")).isNull();
        assertThat(ClientQuotaStore.entity("/quotas/users")).isNull();
        assertThat(ClientQuotaStore.entity("/quotas/users/alice/clients")).isNull();
    }
}
